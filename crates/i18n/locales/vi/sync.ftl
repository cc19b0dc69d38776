## Đồng bộ: phần gửi của kiosk và máy chủ tiếp nhận (hub).

sync-not-configured = Chưa cấu hình máy chủ đồng bộ: dữ liệu được giữ trên kiosk này.
sync-bad-url = Không dùng được địa chỉ máy chủ đồng bộ { $url }: { $reason }
sync-plain-http = Máy chủ đồng bộ { $url } dùng http không mã hóa, sẽ gửi dữ liệu cá nhân không được bảo vệ. Hãy dùng https, hoặc chỉ bật allow_plain_http trên đường truyền nội bộ tin cậy.
sync-ca-file = Không dùng được tệp chứng chỉ CA { $path }: { $reason }
sync-bad-pin = Mã băm chứng chỉ được ghim phải gồm 64 chữ số thập lục phân (SHA-256).
sync-client-error = Không thiết lập được kết nối tới máy chủ đồng bộ: { $reason }
sync-offline = Không kết nối được máy chủ đồng bộ. Dữ liệu vẫn được lưu an toàn và sẽ được gửi khi có mạng trở lại.
sync-tls = Chứng chỉ của máy chủ đồng bộ không được tin cậy. Dữ liệu vẫn được giữ; hãy nhờ quản trị viên kiểm tra cấu hình chứng chỉ.
sync-timeout = Máy chủ đồng bộ không trả lời trong { $secs } giây. Dữ liệu vẫn được giữ và sẽ được gửi lại.
sync-token-rejected = Máy chủ đồng bộ từ chối mã truy cập của kiosk này. Dữ liệu vẫn được giữ; hãy xin quản trị viên mã mới.
sync-server-error = Máy chủ đồng bộ gặp sự cố (lỗi { $status }). Dữ liệu vẫn được giữ và sẽ được gửi lại.
sync-too-large = Lô dữ liệu quá lớn đối với máy chủ đồng bộ; sẽ gửi các lô nhỏ hơn.
sync-refused = Máy chủ đồng bộ từ chối yêu cầu (lỗi { $status }, { $code }). Dữ liệu vẫn được giữ.
sync-bad-answer = Không hiểu được câu trả lời của máy chủ đồng bộ. Dữ liệu vẫn được giữ và sẽ được gửi lại.
sync-queue-error = Không đọc hoặc cập nhật được hàng đợi cục bộ: { $reason }
sync-hub-db = Không dùng được cơ sở dữ liệu của hub: { $reason }
sync-hub-tls = Không dùng được chứng chỉ hoặc khóa của hub: { $reason }
sync-hub-listen = Hub không lắng nghe được trên { $addr }: { $reason }
cli-hub-moved = Hub nay là một chương trình riêng: hãy chạy checkpoint-hub (ví dụ cargo run -p checkpoint-hub -- --help).
sync-hub-listening = Hub đang lắng nghe trên { $addr } ({ $scheme }), nơi lưu: { $store }
sync-done = Đã gửi: { $stored } bản ghi mới, { $duplicate } đã có trên hub, { $rejected } bị từ chối. Còn chờ gửi: { $pending }.
sync-running = Đang đồng bộ nền. Nhấn Ctrl+C để dừng.
sync-token-added = Mã truy cập cho kiosk { $kiosk } (chỉ hiện một lần, hãy điền vào mục token của [sync] trên kiosk):
sync-token-list-empty = Chưa có mã truy cập nào.
sync-token-revoked = Số mã đã thu hồi: { $count }
sync-token-selector = Hãy cho --kiosk hoặc --id.
sync-export-done = Đã xuất { $count } bản ghi ra { $path }
sync-date-invalid = Ngày không hợp lệ { $value }: dùng YYYY-MM-DD hoặc RFC 3339.
sync-stats-unsynced = Đang chờ gửi: { $count }
sync-stats-last-success = Lần đồng bộ thành công gần nhất: { $time }
sync-stats-last-error = Lỗi đồng bộ gần nhất ({ $time }): { $message }
sync-stats-never = chưa lần nào
sync-status-idle = Đã đồng bộ
sync-status-sending = Đang gửi…
sync-status-retrying = Mất kết nối, sẽ thử lại: { $count } bản ghi đang chờ
sync-status-disabled = Chưa có máy chủ đồng bộ
sync-status-clock = { $direction ->
    [ahead] Đồng hồ nhanh { $minutes } phút
   *[behind] Đồng hồ chậm { $minutes } phút
}: hãy chỉnh giờ
sync-error-recorded = Lần gửi gần nhất thất bại: { $detail }

## Enrolment: joining a hub with a code
enrol-bad-code = Đây không phải mã đăng ký máy dùng được ({ $reason }). Hãy xin quản trị viên của hub một mã mới.
enrol-used = Mã đăng ký này đã được dùng: mỗi mã chỉ đăng ký một máy. Hãy xin một mã mới.
enrol-expired = Mã đăng ký này đã hết hạn. Hãy xin một mã mới.
enrol-revoked = Mã đăng ký này đã bị thu hồi. Hãy xin một mã mới.
enrol-unknown = Hub không biết mã đăng ký này. Hãy kiểm tra mã có phải do hub này tạo không.
enrol-no-code-in-image = Không đọc được mã QR nào trong { $path }.
enrol-done = Đã đăng ký thành máy { $kiosk } tại { $checkpoint }; { $count } bản ghi tạo trước đó sẽ được gửi với mã máy này.
fleet-refused = Cấu hình từ máy chủ bị từ chối ({ $reason }): kiosk giữ cài đặt của mình và cấu hình hợp lệ gần nhất.
