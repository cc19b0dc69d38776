# Tài khoản trang quản lý của máy chủ (checkpoint-hub user …).
hub-user-added = Đã thêm tài khoản { $name } ({ $role }).
hub-user-password-once = Mật khẩu (chỉ hiện một lần; có thể đổi sau khi đăng nhập):
hub-user-exists = Đã có tài khoản tên { $name }.
hub-user-missing = Không có tài khoản tên { $name }.
hub-user-disabled = Đã khóa tài khoản { $name }: tài khoản này không đăng nhập được nữa.
hub-user-already-disabled = Tài khoản { $name } đã bị khóa hoặc không tồn tại.
hub-user-password-reset = Mật khẩu mới của { $name } (chỉ hiện một lần; tài khoản được mở lại):
hub-user-password-set = Đã đặt mật khẩu cho { $name }; tài khoản được mở lại.
hub-user-list-empty = Chưa có tài khoản nào. Thêm quản trị viên đầu tiên: checkpoint-hub user add TÊN --role admin
hub-user-all-groups = mọi nhóm
hub-user-bad-name = Tên tài khoản dài 1 đến 64 ký tự, gồm chữ, số, '.', '-' hoặc '_'.
hub-user-short-password = Mật khẩu cần ít nhất { $min } ký tự.
hub-user-weak-password = Mật khẩu này quá phổ biến hoặc quá dễ đoán (một từ, một tên, một hàng phím, ký tự lặp lại). Hãy chọn mật khẩu dài hơn, ví dụ vài từ không liên quan đến nhau.
hub-user-hash-failed = { $reason }
hub-user-no-password = Không có mật khẩu ở đầu vào chuẩn.
hub-export-unreadable = { $count } bản ghi không đọc được nên không có trong tệp xuất.
hub-export-xlsx-needs-out = Xuất XLSX cần --out TỆP.
console-title = Trang quản lý điểm kiểm soát
console-sign-in = Đăng nhập
console-sign-out = Đăng xuất
console-name = Tên tài khoản
console-password = Mật khẩu
console-wrong = Sai tên tài khoản hoặc mật khẩu.
console-throttled = Nhập sai quá nhiều lần: thử lại sau { $minutes } phút.
console-store-down = Cơ sở dữ liệu của máy chủ không trả lời; vui lòng thử lại sau một phút.
console-form-expired = Biểu mẫu đã hết hạn hoặc không gửi từ trang quản lý này. Vui lòng thử lại.
console-signed-in-as = { $name } ({ $role })
console-role-viewer = người xem
console-role-health-officer = cán bộ y tế
console-role-admin = quản trị viên
console-overview = Tổng quan
console-today = hôm nay
console-in-all = tất cả
console-kind-declaration = Tờ khai
console-kind-report = Phản ánh
console-kind-follow-up = Bước theo dõi
console-flagged = Người cần theo dõi
console-flagged-total = { $count } người được phân loại đỏ, mới nhất trước.
console-kiosk = kiosk
console-next-step = Bước theo dõi
console-note = Ghi chú (đã nói gì, được chuyển đi đâu)
console-save-step = Lưu
console-not-for-role = Vai trò của bạn không được mở trang này.
console-bad-request = Biểu mẫu có giá trị mà trang quản lý này không gửi.
console-password-changed-sign-in = Đã đổi mật khẩu. Mời đăng nhập lại bằng mật khẩu mới.
console-unreadable = { $count } bản ghi trên trang này không đọc được (mã: { $ids }); chúng vẫn được lưu và có trong bản xuất thô (checkpoint-hub export --format raw).
console-audit = Nhật ký truy cập
console-audit-at = Thời điểm (giờ Việt Nam)
console-audit-action = Hành động
console-audit-target = Bản ghi hoặc tài khoản
console-audit-detail = Chi tiết
console-reports = Phản ánh
console-reports-total = { $count } phản ánh, mới nhất trước.

# Điểm kiểm soát (checkpoint-hub checkpoint …).
hub-checkpoint-added = Đã thêm điểm kiểm soát { $id }.
hub-checkpoint-exists = Đã có điểm kiểm soát mã { $id }.
hub-checkpoint-missing = Không có điểm kiểm soát mã { $id }.
hub-checkpoint-list-empty = Chưa có điểm kiểm soát nào. Thêm: checkpoint-hub checkpoint add MÃ --name "TÊN" --group NHÓM
hub-checkpoint-assigned = Đã gán máy { $kiosk } cho điểm { $id }; { $records } bản ghi cũ của máy được gắn vào điểm này.
hub-checkpoint-bad-id = Mã điểm kiểm soát dài 1 đến 40 ký tự, gồm chữ thường không dấu, số và '-'.
hub-checkpoint-no-name = Điểm kiểm soát cần một tên (tối đa 120 ký tự).
hub-checkpoint-unknown-province = Không có tỉnh/thành mã { $code } trong dữ liệu địa chỉ.
hub-checkpoint-ward-not-in-province = Xã/phường mã { $code } không thuộc tỉnh/thành đã chọn.
hub-checkpoint-bad-group = Tên nhóm tối đa 80 ký tự và không có dấu phẩy.

# Sao lưu và thời hạn lưu giữ.
hub-backup-done = Đã sao lưu vào { $file } ({ $bytes } byte), mã hóa bằng cùng khóa.
hub-backup-key = Giữ tệp khóa { $key } ở nơi an toàn, tách khỏi bản sao lưu: không có khóa thì không mở được bản sao.
hub-backup-postgres = Kho dữ liệu là PostgreSQL: hãy sao lưu bằng công cụ của PostgreSQL, ví dụ: pg_dump --format=custom --file={ $file } "$CK_HUB_DATABASE_URL"
hub-purged = Đã xóa { $records } bản ghi quá { $days } ngày; giữ lại { $kept } người bị gắn cờ đang theo dõi (tối đa { $max } ngày).

# Truy vết.
console-tracing = Truy vết
console-trace-case = Ca bệnh: số CCCD/hộ chiếu, số điện thoại hoặc mã bản ghi
console-trace-window = Khoảng thời gian trước và sau mỗi lần có mặt (phút)
console-trace-run = Truy vết
console-trace-summary = Ca bệnh có mặt { $check_ins } lần trong { $days } ngày qua; { $contacts } lượt người ở cùng điểm trong khoảng ±{ $window } phút.
console-trace-export = Tải danh sách (CSV)
console-trace-nobody = Không có ai khác khai báo tại điểm này trong khoảng thời gian đó.
console-trace-when = Thời điểm
console-trace-apart = Cách (phút)
console-trace-name = Họ tên
console-trace-case-check-in = Lần có mặt của ca bệnh
console-trace-place = Điểm kiểm soát

# Tổng quan theo nhóm và điểm.
console-all-groups = Tất cả
console-no-group = (chưa có nhóm)
console-adoption = Tỷ lệ có Bluezone
console-adoption-of = { $with } / { $observed } lượt khai có điện thoại Bluezone gần máy
console-kiosks-silent = Máy không liên lạc
console-silent-after = quá { $minutes } phút không nhận được tín hiệu
console-waiting = Người bị gắn cờ chờ quá { $hours } giờ
console-waiting-hint = chưa ai xử lý (trạng thái "mới")
console-last-days = { $days } ngày qua
console-chart-declarations = Tờ khai mỗi ngày (đỏ: bị gắn cờ)
console-chart-table = Xem số liệu dạng bảng
console-day = Ngày
console-by-group = Theo nhóm
console-group = Nhóm
console-checkpoints = Điểm kiểm soát
console-checkpoint = Điểm kiểm soát
console-province = Tỉnh/thành phố
console-ward = Phường/xã (tên hoặc mã)
console-place = Địa bàn
console-unassigned = Máy chưa gán điểm kiểm soát
console-checkpoint-id = Mã điểm
console-no-checkpoints = Chưa có điểm kiểm soát nào trong phạm vi của bạn.
console-retention = Bản ghi được giữ { $days } ngày; người bị gắn cờ đang theo dõi giữ tối đa { $max } ngày.
console-retention-last = Lần xóa gần nhất { $at }: { $records } bản ghi.
console-retention-failed = Lần xóa gần nhất không thực hiện được (kho dữ liệu không trả lời); sẽ thử lại.
# Máy kiosk.
console-kiosks = Máy kiosk
console-kiosk-column = Máy kiosk
console-no-kiosks = Chưa có máy nào gửi dữ liệu hoặc được gán cho điểm.
console-kiosk-state = Tình trạng
console-last-heard = Liên lạc gần nhất
console-queue = Chờ gửi
console-camera = Camera
console-bluetooth = Bluetooth
console-own-checkins = Lượt khai hôm nay (máy đếm)
console-version = Phiên bản
console-silent = Không liên lạc
console-heard = Bình thường
console-sync-failing = đồng bộ đang lỗi
console-just-now = vừa xong
console-never = chưa bao giờ
console-minutes-ago = { $n } phút trước
console-hours-ago = { $n } giờ trước
console-device-working = hoạt động
console-device-demo = không có camera (ảnh mẫu)
console-device-replay = phát lại
console-device-off = tắt
console-device-starting = đang khởi động
console-device-missing = không có thiết bị
console-device-failed = lỗi
console-device-adapter-off = bộ Bluetooth đang tắt
console-device-no-permission = không có quyền
console-device-unknown = không rõ
console-tokens = Mã truy cập của máy
console-token-id = Mã nhận diện
console-token-label = Ghi chú
console-token-state = Trạng thái
console-token-revoked = đã thu hồi
console-token-revoke = Thu hồi
console-token-issue = Cấp mã mới
console-token-once = Mã truy cập mới của máy { $kiosk } (chỉ hiện một lần; nhập vào phần cài đặt của máy):
console-checkpoint-add = Thêm điểm
console-assign = Gán máy cho điểm

# Tài khoản.
console-account = Tài khoản của tôi
console-change-password = Đổi mật khẩu
console-current-password = Mật khẩu hiện tại
console-new-password = Mật khẩu mới (ít nhất 10 ký tự)
console-repeat-password = Nhập lại mật khẩu mới
console-wrong-current = Mật khẩu hiện tại không đúng.
console-passwords-differ = Hai lần nhập mật khẩu mới không giống nhau.
console-users = Tài khoản
console-role = Vai trò
console-user-groups = Giới hạn theo nhóm (cách nhau bằng dấu phẩy; để trống: mọi nhóm)
console-user-add = Thêm tài khoản
console-user-disable = Khóa
console-user-reset = Đặt lại mật khẩu
console-user-disabled = đã khóa
console-user-active = đang dùng
console-password-once = Mật khẩu của { $name } (chỉ hiện một lần; hãy gửi riêng cho người dùng, họ có thể đổi sau khi đăng nhập):

# Chiến dịch Bluezone.
console-campaign = Chiến dịch Bluezone
console-campaign-measured = Tỷ lệ đạt được tính trên { $days } ngày gần nhất: số lượt khai có điện thoại Bluezone gần máy trên số lượt khai máy kiểm tra được.
console-target-line = chỉ tiêu { $percent }% trước { $deadline }
console-behind = Đơn vị chưa đạt chỉ tiêu
console-behind-none = Mọi đơn vị đều đạt chỉ tiêu.
console-unit = Đơn vị
console-target = Chỉ tiêu
console-deadline = Hạn
console-measured = Đạt được
console-gap = Còn thiếu (điểm %)
console-target-reached = đạt
console-target-behind = chưa đạt
console-target-missed = quá hạn, chưa đạt
console-target-no-data = chưa có số liệu
console-targets = Chỉ tiêu
console-target-add = Thêm chỉ tiêu
console-target-delete = Xóa
console-target-invalid = Chỉ tiêu là một số từ 1 đến 100 và một ngày hợp lệ.
console-target-exists = Đơn vị này đã có chỉ tiêu cho ngày đó.
console-outside-groups = Tài khoản của bạn chỉ quản lý các nhóm của mình: tài khoản, điểm kiểm soát hoặc chỉ tiêu phải thuộc các nhóm đó (tài khoản không có nhóm là của toàn hệ thống).

# Xuất dữ liệu.
console-exports = Xuất dữ liệu
console-export-from = Từ ngày
console-export-to = Đến ngày (tính cả ngày này)
console-export-all = Mọi điểm trong phạm vi của tôi
console-export-format = Định dạng
console-export-xlsx = Bảng tính XLSX (mọi trang)
console-export-csv = CSV (một trang)
console-export-sheet = Trang (cho CSV)
console-export-headers = Tiêu đề cột
console-export-download = Tải xuống

# Hành động trong nhật ký truy cập.
console-audit-code = Mã hành động
console-audit-export = Tải nhật ký (CSV)
console-audit-latest = 500 mục mới nhất, mới nhất ở trên. Tải nhật ký để xem các khoảng thời gian khác.
audit-signed-in = Đăng nhập
audit-sign-in-failed = Đăng nhập sai
audit-sign-in-throttled = Đăng nhập bị chặn (sai quá nhiều lần)
audit-signed-out = Đăng xuất
audit-password-changed = Đổi mật khẩu
audit-password-change-refused = Đổi mật khẩu không thành công
audit-flagged-viewed = Xem danh sách người cần theo dõi
audit-reports-viewed = Xem phản ánh
audit-follow-up-recorded = Ghi bước theo dõi
audit-trace-run = Truy vết tiếp xúc
audit-trace-exported = Tải kết quả truy vết
audit-export-downloaded = Xuất dữ liệu
audit-audit-exported = Tải nhật ký truy cập
audit-token-issued = Cấp mã truy cập cho máy
audit-enrolment-created = Tạo mã đăng ký máy
audit-enrolment-revoked = Thu hồi mã đăng ký máy
audit-kiosk-enrolled = Một máy đã đăng ký bằng mã
audit-token-revoked = Thu hồi mã truy cập
audit-checkpoint-added = Thêm điểm kiểm soát
audit-kiosk-assigned = Gán máy cho điểm kiểm soát
audit-target-added = Đặt chỉ tiêu chiến dịch
audit-target-deleted = Xoá chỉ tiêu chiến dịch
audit-user-added = Thêm tài khoản
audit-user-disabled = Khoá tài khoản
audit-password-reset = Đặt lại mật khẩu tài khoản

## The hub's configuration file and certificate
hub-config-unreadable = Không dùng được tệp cấu hình { $path }: { $reason }
hub-certificate-made = Chưa cấu hình chứng chỉ: hub đã tự tạo chứng chỉ { $path } và giữ lại để dùng tiếp.
hub-certificate-sha256 = SHA-256 của chứng chỉ (kiosk ghim giá trị này): { $sha256 }

## Enrolment codes
hub-enrol-unknown-checkpoint = Không có điểm kiểm soát mã { $id }: hãy thêm trước (checkpoint-hub checkpoint add).
hub-enrol-bad-url = Không thể đưa { $url } vào mã đăng ký: hãy cho --hub-url https://tên:cổng, địa chỉ mà kiosk dùng để tới hub này.
hub-enrol-added = Mã đăng ký máy cho điểm kiểm soát { $checkpoint }, dùng được đến { $expires } (giờ Việt Nam), cho một máy:
hub-enrol-list-empty = Chưa có mã đăng ký máy nào.
hub-enrol-id = Hãy cho mã số của mã đăng ký, lấy từ `checkpoint-hub enrol list` (ít nhất 8 chữ số hex).
hub-enrol-revoked = Đã thu hồi { $count } mã đăng ký máy.
console-enrol = Đăng ký máy kiosk mới
console-enrol-how = Tạo mã cho điểm kiểm soát nơi đặt kiosk, rồi trên kiosk mở Nhân viên → Máy chủ và đưa mã lên trước camera. Mỗi mã đăng ký được một máy.
console-enrol-hours = Hiệu lực (giờ)
console-enrol-make = Tạo mã đăng ký máy
console-enrol-until = Hiệu lực đến (giờ Việt Nam)
console-enrol-used = Đã dùng cho { $kiosk }
console-enrol-expired = Đã hết hạn
console-enrol-made = Mã đăng ký máy cho { $checkpoint }, hiệu lực đến { $expires } (giờ Việt Nam). Đưa mã lên trước camera của kiosk mới (Nhân viên → Máy chủ), hoặc gõ đoạn chữ bên dưới.
console-enrol-cannot = Chưa tạo được mã: hãy chọn một điểm kiểm soát của bạn và mở trang quản lý qua địa chỉ HTTPS của chính hub (hub đứng sau proxy tạo mã bằng `checkpoint-hub enrol add --hub-url`).

## The fleet's configuration
hub-signing-key = Khóa ký của hub (kiosk dùng để kiểm tra cấu hình chung): { $key }
hub-fleet-set = Mọi kiosk sẽ nhận { $key } = { $value } ở lần đồng bộ tới.
hub-fleet-unset = Mọi kiosk sẽ dùng lại { $key } của riêng mình ở lần đồng bộ tới.
hub-fleet-bad-setting = { $key } = { $value } không phải cài đặt kiosk nhận được: cần { $expected }.
fleet-expected-number = một số nguyên từ { $min } đến { $max }
fleet-expected-lang = vi hoặc en
fleet-expected-on-off = on (bật) hoặc off (tắt)
fleet-expected-key = một trong { $keys }
fleet-setting-retention-days = Số ngày kiosk giữ dữ liệu trước khi xoá (người cần theo dõi được giữ đến khi kết thúc theo dõi)
fleet-setting-idle-timeout-secs = Số giây không thao tác trước khi tờ khai dang dở của khách bị xoá
fleet-setting-lang = Ngôn ngữ kiosk chào khách
fleet-setting-sounds = Kiosk có phát âm thanh hay không
fleet-setting-travel-flags = Trả lời “có” ở câu hỏi đi lại có đánh dấu khách cần theo dõi hay không
hub-fleet-trust-list = Đã lưu danh sách tin cậy cho mọi kiosk: { $count } đơn vị ký; kiosk nhận ở lần đồng bộ tới.
hub-fleet-trust-list-bad = { $path } không phải danh sách tin cậy dùng được: { $reason }
hub-certificate-renewed = Đã tạo chứng chỉ kế tiếp (SHA-256 { $sha256 }): kiosk nhận ở lần đồng bộ tới. Khi các kiosk đã đồng bộ, chạy `checkpoint-hub certificate rotate` rồi khởi động lại hub.
hub-certificate-rotated = Chứng chỉ kế tiếp đã thay chứng chỉ hiện tại: khởi động lại hub để dùng nó.
hub-certificate-nothing-to-rotate = Không có chứng chỉ kế tiếp nào đang chờ: tạo bằng `checkpoint-hub certificate renew`.
hub-plain-http-public = --plain-http phục vụ không có TLS, nên chỉ được dùng trên địa chỉ loopback (sau một proxy trên cùng máy) hoặc khi --trusted-proxy chỉ rõ proxy phía trước; { $listen } không phải địa chỉ đó. Hãy dùng địa chỉ 127.0.0.1, --trusted-proxy, hoặc một chứng chỉ.
