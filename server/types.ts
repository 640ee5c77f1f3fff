/** Response shapes shared by the server and (through `import type`) the widget and admin console. */

export type PollStatus = 'open' | 'closed' | 'upcoming'
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close'
export type Dedupe = 'voter' | 'voter+ip'

export interface PollResults {
  totalVotes: number
  totalVoters: number
  options: { id: string; votes: number; percent: number }[]
}

/** What `GET /api/polls/:id` answers. */
export interface PollView {
  id: string
  question: string
  options: { id: string; label: string }[]
  multiple: boolean
  maxChoices: number
  status: PollStatus
  opensAt: string | null
  closesAt: string | null
  resultsVisibility: ResultsVisibility
  myVote: string[] | null
  results: PollResults | null
}

/** The admin view of a poll: the public fields with full results, always. */
export interface AdminPollView extends Omit<PollView, 'results' | 'myVote'> {
  myVote: null
  results: PollResults
  flaggedVotes: number
  maxVotesPerIp: number
  ipWindowSeconds: number
  dedupe: Dedupe
  createdAt: string
  updatedAt: string
}

export interface ApiErrorBody {
  error: { code: string; message: string }
}

/** Every state a stored comment can be in; readers only ever see `pending` (their own) and `deleted`. */
export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'spam' | 'deleted'

/** One comment as a reader sees it in `GET /api/comments`; replies are nested one level. */
export interface CommentView {
  id: number
  /** The top-level comment this one replies to, or null for a top-level comment. */
  parentId: number | null
  /** For a reply to a reply: the name of the reader it answers (null when that reader gave none). */
  replyTo: string | null
  /** null when the reader gave no name (shown as "Khách"/"Guest"). */
  author: string | null
  /** Plain text exactly as accepted; never HTML. */
  body: string
  createdAt: string
  editedAt: string | null
  likes: number
  likedByMe: boolean
  /** Oldest first; always empty on replies and in single-comment answers. */
  replies: CommentView[]
  /** Absent on approved comments; `pending` on the reader's own unpublished ones; `deleted` on a placeholder kept for its replies. */
  status?: 'pending' | 'deleted'
}

/** What `GET /api/comments` answers. */
export interface CommentListResponse {
  comments: CommentView[]
  /** Opaque; pass back as `cursor` for the next page, null on the last page. */
  nextCursor: string | null
  /** Approved comments in the thread, replies included. */
  total: number
  /** Send back with `POST /api/comments`; valid for a day. */
  formToken: string
}

/** What `POST /api/comments` answers (201). A comment caught as spam is answered as `pending`. */
export interface CommentPostResponse {
  comment: CommentView
  status: 'pending' | 'approved' | 'spam'
  /** Send as `X-Voxpop-Edit-Token` to edit or delete this comment until `editableUntil`. */
  editToken: string
  editableUntil: string
}

/** What `PATCH /api/comments/:id` answers: the edited comment (its `replies` empty) and where it now stands. */
export interface CommentEditResponse {
  comment: CommentView
  status: 'pending' | 'approved'
}

/** What `PUT` and `DELETE /api/comments/:id/like` answer. */
export interface CommentLikeResponse {
  likes: number
  likedByMe: boolean
}

/** What `GET /api/counts` answers: approved comments (replies included) per requested page key. */
export type CommentCountsResponse = Record<string, number>

/** A comment in the admin queue: flat, with its status, thread and the commenter's email. */
export interface AdminCommentView extends Omit<CommentView, 'status' | 'replies'> {
  status: CommentStatus
  replies: []
  page: string
  pageTitle: string | null
  pageUrl: string | null
  email: string | null
}

/** What `GET /api/admin/comments` answers. */
export interface AdminCommentListResponse {
  comments: AdminCommentView[]
  nextCursor: string | null
  /** Comments matching the filters, across all pages of the list. */
  total: number
}

/** A thread in `GET /api/admin/threads`: an article with comments of the asked status. */
export interface AdminThreadView {
  page: string
  title: string | null
  url: string | null
  /** Comments of that status in the thread (every comment for `all`, deleted placeholders included). */
  count: number
  /** ISO 8601 (UTC) time of the newest of them. */
  lastCommentAt: string
}

export interface AdminThreadListResponse {
  threads: AdminThreadView[]
}

/** What `GET /api/admin/stats` answers; "today" is the current day in `VOXPOP_TIMEZONE`. */
export interface AdminStats {
  /** Polls taking votes now. */
  openPolls: number
  /** Comments waiting for a moderator. */
  pendingComments: number
  /** Ballots stored today, counted and flagged. */
  votesToday: number
  /** Comments received today, spam excluded. */
  commentsToday: number
}

/** What `GET /api/admin/config` answers: what the console needs to know about the server. */
export interface AdminConfig {
  timezone: string
  moderation: 'pre' | 'post'
}

export type TimelineUnit = 'hour' | 'day'

/** One bar of the votes-over-time chart: ballots in the local hour or day starting at `start`. */
export interface TimelineBucket {
  start: string
  counted: number
  flagged: number
}

/** What `GET /api/admin/polls/:id/timeline` answers. */
export interface PollTimeline {
  unit: TimelineUnit
  timezone: string
  buckets: TimelineBucket[]
}
