import type { Dict } from './vi.ts'

/** English. */
export const en: Dict = {
  loading: 'Loading…',
  vote: 'Vote',
  sending: 'Sending…',
  chooseOne: 'Choose one option',
  chooseUpTo: (n) => `Choose up to ${n} options`,
  votes: (n) => `${n.toLocaleString('en-US')} ${n === 1 ? 'vote' : 'votes'}`,
  voters: (n) => `${n.toLocaleString('en-US')} ${n === 1 ? 'person has' : 'people have'} voted`,
  yourChoice: 'Your choice',
  thanks: 'Thank you for voting!',
  hiddenUntilVote: 'Results appear after you vote.',
  hiddenUntilClose: 'Results will be published when the poll closes.',
  closed: 'This poll has closed.',
  upcoming: (when) => `This poll opens on ${when}.`,
  closesAt: (when) => `Closes on ${when}`,
  retry: 'Try again',
  errors: {
    network: 'Could not reach the server. Check your connection and try again.',
    poll_not_found: 'This poll could not be found.',
    poll_closed: 'This poll has closed; no more votes can be cast.',
    poll_not_open: 'This poll is not open yet.',
    already_voted: 'You have already voted in this poll.',
    invalid_choice: 'That choice is not valid; please choose again.',
    rate_limited: 'Too many attempts. Please try again in a little while.',
    other: 'Something went wrong. Please try again later.',
  },
  retryIn: (s) => `Please try again in ${s < 60 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`}.`,
}
