## Cửa sổ kiosk: các màn hình, nút bấm, thanh trạng thái.

ui-welcome-scan = Đưa mã QR lên trước camera
ui-welcome-kinds = Thẻ căn cước (CCCD), chứng nhận tiêm chủng hoặc mã tờ khai đã lưu lần trước.
ui-welcome-no-picture = Đang chờ hình ảnh từ camera…
ui-enter-by-hand = Khai báo thủ công
ui-open-report = Gửi phản ánh
ui-staff = Dành cho nhân viên
ui-demo-source = Không có camera: đang chạy khung hình mẫu. Máy vẫn nhận mã từ máy quét cầm tay.
ui-store-unavailable = Không lưu được tờ khai trên máy này. Vui lòng báo nhân viên.
ui-scan-not-usable = Mã này không phải thẻ căn cước, chứng nhận tiêm chủng hay tờ khai. Bạn có thể khai báo thủ công.
ui-scan-refused = Không dùng được mã vừa quét:
ui-scanned-from = Thông tin đã điền sẵn từ
ui-report-sent = Đã gửi phản ánh. Cảm ơn bạn!

ui-step-identity = Bước 1/3: Thông tin cá nhân
ui-step-questions = Bước 2/3: Câu hỏi sức khỏe
ui-step-review = Bước 3/3: Kiểm tra và xác nhận
ui-back = Quay lại
ui-next = Tiếp tục
ui-cancel = Hủy
ui-ok = OK
ui-change = Đổi
ui-finish = Xong
ui-none = Không có
ui-type-to-search = Gõ để tìm, ví dụ: ha noi
ui-fix-problems = Vui lòng sửa các mục được đánh dấu đỏ bên dưới.
ui-address-pick-new = Vui lòng chọn tỉnh/thành phố và phường/xã theo danh sách mới.
ui-vaccination-optional = Không bắt buộc. Được điền sẵn khi quét chứng nhận tiêm chủng.
ui-date-format = ngày/tháng/năm
ui-error-year = Năm sinh gồm 4 chữ số, ví dụ 1985.
ui-error-date = Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/10/2021.
ui-staff-unlock = Nhân viên: mở khóa
ui-source-id-card = Từ thẻ căn cước
ui-source-dcc = Từ chứng nhận tiêm chủng
ui-source-ckd = Từ tờ khai đã lưu
ui-source-contact = Từ danh thiếp
ui-source-scanner = Từ máy quét
ui-source-verified = đã xác thực
ui-source-unverified = chưa xác thực

ui-review-heading = Kiểm tra lại thông tin
ui-review-flagged = Bạn đã trả lời "Có" với câu hỏi về tiếp xúc hoặc triệu chứng: nhân viên y tế sẽ hướng dẫn bạn.
ui-save-failed = Chưa lưu được tờ khai. Thông tin của bạn vẫn còn trên màn hình; vui lòng báo nhân viên.

ui-done-ok = Cảm ơn bạn!
ui-done-ok-detail = Tờ khai đã được ghi nhận. Mời bạn đi tiếp.
ui-done-staff = Vui lòng chờ nhân viên y tế
ui-done-staff-detail = Tờ khai đã được ghi nhận. Nhân viên sẽ đến hướng dẫn bạn ngay.
ui-done-code = Chụp lại mã này: lần sau quét mã để khai nhanh hơn.
ui-done-countdown = Màn hình sẽ quay về trang đầu sau { $seconds } giây.

ui-report-submit = Gửi phản ánh

ui-status-camera = Camera
ui-status-queue = Dữ liệu
ui-status-bluetooth = Bluetooth
ui-camera-on = đang hoạt động
ui-camera-replay = đang phát lại ảnh
ui-camera-demo = không có camera, đang chạy khung hình mẫu

ui-pin-staff = Nhập mã PIN nhân viên
ui-pin-unlock = Nhân viên nhập mã PIN để mở khóa các mục đã xác thực
ui-pin-close = Nhập mã PIN để đóng kiosk
ui-pin-erase = Xóa
ui-pin-wrong = Mã PIN không đúng.
ui-pin-locked = Nhập sai quá nhiều lần. Thử lại sau { $seconds } giây.
ui-pin-change-default = Kiosk vẫn dùng mã PIN mặc định. Hãy đổi mã PIN trong mục Cài đặt.

ui-staff-title = Nhân viên
ui-staff-tab-overview = Tổng quan
ui-staff-tab-flagged = Cần chú ý
ui-staff-tab-settings = Cài đặt
ui-staff-back = Về màn hình khách
ui-staff-today = Hôm nay
ui-staff-declarations = tờ khai
ui-staff-flagged = cần nhân viên
ui-staff-reports = phản ánh
ui-staff-adoption = có Bluezone khi khai báo
ui-staff-sync = Gửi dữ liệu lên máy chủ
ui-staff-sync-now = Gửi ngay
ui-staff-sync-started = Đang gửi dữ liệu lên máy chủ.
ui-staff-rejected = Máy chủ đã từ chối { $count } bản ghi: các bản ghi này vẫn được giữ trên kiosk (xem bằng lệnh queue list).
ui-staff-phones = Điện thoại quanh kiosk: { $bluezone } có Bluezone / { $all } tất cả
ui-staff-problems = Vấn đề cần xử lý
ui-staff-close = Đóng kiosk
ui-staff-flagged-heading = Khách cần nhân viên chú ý hôm nay
ui-staff-flagged-none = Hôm nay chưa có khách nào cần chú ý.

ui-settings-lang = Ngôn ngữ mặc định
ui-settings-idle = Tự xóa tờ khai khi không có thao tác sau
ui-settings-text-size = Cỡ chữ
ui-settings-sounds = Âm thanh
ui-settings-retention = Số ngày lưu dữ liệu
ui-settings-camera = Camera
ui-settings-camera-hint = số thứ tự hoặc tên; để trống: camera đầu tiên
ui-settings-server = Máy chủ đồng bộ
ui-settings-pin = Mã PIN mới (nhập hai lần; để trống nếu không đổi)
ui-settings-restart-note = Camera, máy chủ và số ngày lưu có hiệu lực từ lần khởi động sau.
ui-settings-save = Lưu cài đặt
ui-settings-saved = Đã lưu cài đặt.
ui-settings-saved-broken = Đã lưu cài đặt. Tệp cấu hình cũ bị lỗi đã được giữ lại tại { $path }.
ui-settings-error-retention = Số ngày lưu phải từ 1 đến 365.
ui-settings-error-server = Địa chỉ máy chủ phải bắt đầu bằng https://
ui-settings-error-pin = Mã PIN gồm { $min } đến { $max } chữ số.
ui-settings-error-pin-mismatch = Hai lần nhập mã PIN không giống nhau.

ui-ble-scanning = đang đếm điện thoại
ui-ble-off = đã tắt
ui-ble-starting = đang khởi động
ui-ble-adapter-off = bộ thu đang tắt
ui-ble-no-permission = không có quyền
ui-ble-unavailable = không có bộ thu
ui-demo-read = Đã đọc mã mẫu:
ui-demo-try = Thử tờ khai với mã mẫu
ui-camera-none = tắt (chỉ dùng máy quét cầm tay)
