/** The answer of the bench's bare handlers: about the size and shape of a two-option poll view, so bytes on the wire are comparable. */
export const CEILING_VIEW = {
  id: 'ceiling',
  question: 'Bạn đọc tin tức chủ yếu trên thiết bị nào?',
  options: [
    { id: 'a1', label: 'Điện thoại' },
    { id: 'b2', label: 'Máy tính' },
  ],
  multiple: false,
  maxChoices: 1,
  status: 'open',
  opensAt: null,
  closesAt: null,
  resultsVisibility: 'always',
  myVote: null,
  results: { totalVotes: 1000, totalVoters: 1000, options: [{ id: 'a1', votes: 600, percent: 60 }, { id: 'b2', votes: 400, percent: 40 }] },
}
