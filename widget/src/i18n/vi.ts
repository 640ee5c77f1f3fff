/** Vietnamese, the default language. Every other dictionary has exactly these keys. */
export const vi = {
  loading: 'Đang tải…',
  vote: 'Bình chọn',
  sending: 'Đang gửi…',
  chooseOne: 'Chọn một phương án',
  chooseUpTo: (n: number) => `Chọn tối đa ${n} phương án`,
  votes: (n: number) => `${n.toLocaleString('vi-VN')} phiếu`,
  voters: (n: number) => `Tổng cộng ${n.toLocaleString('vi-VN')} người đã bình chọn`,
  yourChoice: 'Lựa chọn của bạn',
  thanks: 'Cảm ơn bạn đã bình chọn!',
  hiddenUntilVote: 'Kết quả sẽ hiện sau khi bạn bình chọn.',
  hiddenUntilClose: 'Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.',
  closed: 'Cuộc thăm dò đã kết thúc.',
  upcoming: (when: string) => `Cuộc thăm dò sẽ mở lúc ${when}.`,
  closesAt: (when: string) => `Kết thúc lúc ${when}`,
  retry: 'Thử lại',
  errors: {
    network: 'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.',
    poll_not_found: 'Không tìm thấy cuộc thăm dò này.',
    poll_closed: 'Cuộc thăm dò đã kết thúc, không thể bình chọn thêm.',
    poll_not_open: 'Cuộc thăm dò chưa mở.',
    already_voted: 'Bạn đã bình chọn trong cuộc thăm dò này rồi.',
    invalid_choice: 'Lựa chọn không hợp lệ, vui lòng chọn lại.',
    rate_limited: 'Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.',
    other: 'Đã có lỗi xảy ra. Vui lòng thử lại sau.',
  } as Record<string, string>,
  retryIn: (s: number) => `Vui lòng thử lại sau ${s < 60 ? `${s} giây` : `${Math.ceil(s / 60)} phút`}.`,
}

export type Dict = typeof vi
