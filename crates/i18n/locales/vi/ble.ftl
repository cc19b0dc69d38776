## Bluetooth LE: điện thoại có Bluezone gần trạm.

ble-status-disabled = Tính năng đếm qua Bluetooth đang tắt trong cài đặt.
ble-status-starting = Bluetooth: đang khởi động…
ble-status-scanning = Bluetooth: đang dò điện thoại ở gần ({ $adapter }).
ble-status-no-system-bus = Không dùng được Bluetooth: không kết nối được D-Bus của hệ thống. Trạm vẫn hoạt động; việc đếm tự bắt đầu lại khi có kết nối.
ble-status-no-bluez = Không dùng được Bluetooth: dịch vụ Bluetooth (BlueZ) không chạy. Trạm vẫn hoạt động; việc đếm tự bắt đầu khi dịch vụ chạy.
ble-status-no-adapter = Không tìm thấy bộ thu Bluetooth. Trạm vẫn hoạt động; việc đếm tự bắt đầu khi cắm bộ thu vào.
ble-status-adapter-off = Bộ thu Bluetooth đang tắt hoặc bị chặn. Trạm vẫn hoạt động; việc đếm tự bắt đầu khi bật lại.
ble-status-permission-denied = Không dùng được Bluetooth: tài khoản này không có quyền dùng Bluetooth. Trạm vẫn hoạt động; hãy nhờ quản trị viên cấp quyền truy cập BlueZ.
ble-status-failed = Không dùng được Bluetooth ({ $detail }). Trạm vẫn hoạt động và sẽ thử lại.

ble-class-bluezone-android = Bluezone (Android)
ble-class-bluezone-ios = Bluezone (iPhone)
ble-class-bluezone-ios-unconfirmed = Bluezone? (iPhone chạy nền, chưa xác nhận)
ble-class-exposure-notification = Thông báo phơi nhiễm (GAEN)
ble-class-other = Thiết bị khác

ble-proximity-near = sát trạm
ble-proximity-contact = ở gần
ble-proximity-far = ở xa
ble-proximity-unknown = không rõ

ble-scan-header = Nghe thấy { $count } thiết bị trong { $minutes } phút qua (khoảng cách chỉ là ước lượng theo cường độ sóng):
ble-scan-summary = Điện thoại có Bluezone: { $bluezone } (Android { $android }, iPhone { $ios }), iPhone chưa xác nhận: { $unconfirmed }, điện thoại dùng Thông báo phơi nhiễm: { $gaen }, thiết bị khác: { $other }.
ble-scan-none = Không nghe thấy thiết bị nào.
ble-scan-never-started = Không bắt đầu dò được: { $reason }

ble-stats-title = Tỷ lệ dùng Bluezone: phần trăm lượt khai báo có điện thoại Bluezone sát trạm
ble-stats-columns = Thời gian | Lượt khai báo | Có theo dõi | Có Bluezone | Tỷ lệ | Điện thoại Bluezone | Đông nhất
ble-stats-empty = Chưa có lượt khai báo hay số đếm nào trong khoảng thời gian này.
ble-stats-no-store = Không đọc được thống kê từ cơ sở dữ liệu cục bộ: { $reason }
ble-stats-share-unknown = –
