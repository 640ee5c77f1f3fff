/** The two lines a site owner pastes to show a poll: the loader from this server, and the container. */
export function embedSnippet(origin: string, pollId: string): string {
  return `<script src="${origin}/embed.js" async></script>\n<div data-voxpop-poll="${pollId}"></div>`
}
