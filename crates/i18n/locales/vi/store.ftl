## Kho dữ liệu trên máy: lỗi, lệnh hàng đợi, xuất và xoá dữ liệu.

store-error-key-io = Không đọc hoặc tạo được khoá cơ sở dữ liệu { $path }: { $reason }
store-error-key-missing = Cơ sở dữ liệu { $db } đã có nhưng thiếu tệp khoá { $path }. Hãy đặt lại tệp khoá (hoặc cấu hình store.key_file); khoá mới không mở được dữ liệu cũ.
store-error-key-format = Khoá cơ sở dữ liệu trong { $origin } không hợp lệ: phải gồm 64 chữ số thập lục phân.
store-error-wrong-key = Không mở được cơ sở dữ liệu { $path }: sai khoá, hoặc tệp không phải cơ sở dữ liệu mã hoá của kiosk (kiểm tra store.key_file và store.plaintext).
store-error-too-new = Cơ sở dữ liệu { $path } do phiên bản kiosk mới hơn ghi (lược đồ { $found }; phiên bản này chỉ biết đến { $supported }). Hãy cập nhật phần mềm; tệp được giữ nguyên.
store-error-read-only = Không ghi được vào { $path } (thư mục hoặc tệp chỉ đọc): { $reason }
store-error-corrupt = Cơ sở dữ liệu { $path } bị hỏng: { $reason }. Đừng xoá tệp; hãy báo cán bộ kỹ thuật.
store-error-invalid = Tờ khai chưa được lưu: có { $count } lỗi.
store-error-too-large = Bản ghi quá lớn ({ $bytes } byte; tối đa { $max }).
store-error-duplicate = Bản ghi có mã { $id } đã được lưu.
store-error-bad-record = Không đọc được bản ghi đã lưu { $id }: { $reason }
store-error-sqlite = Lỗi cơ sở dữ liệu trong { $path }: { $reason }
store-error-bad-id = "{ $id }" không phải mã bản ghi (một UUID như 0190c6b2-3f4e-7c1a-9b2d-123456789abc).
store-error-not-found = Không có bản ghi mã { $id }.

store-input-too-large = Dữ liệu vào quá lớn: tờ khai tối đa { $max } byte.
store-input-not-utf8 = Dữ liệu vào không phải văn bản UTF-8 (byte sai ở vị trí { $offset }). Hãy lưu tệp dạng UTF-8.
store-input-empty = Dữ liệu vào trống: hãy đưa tờ khai dạng JSON (xem declare --template).
store-input-unknown-field = Trường không xác định "{ $field }" ở dòng { $line }, cột { $column }. Hãy so chính tả với declare --template.
store-input-missing-field = Thiếu trường "{ $field }" (dòng { $line }, cột { $column }).
store-input-wrong-type = Sai kiểu giá trị ở dòng { $line }, cột { $column }: { $reason }
store-input-unknown-value = "{ $value }" không thuộc các giá trị cho phép (dòng { $line }, cột { $column }).
store-declare-no-input = Hãy đưa tờ khai bằng --json TỆP (hoặc --json - để đọc từ đầu vào chuẩn), hoặc dùng --template để xem mẫu.
store-plaintext-warning = Cảnh báo: store.plaintext đang bật; cơ sở dữ liệu KHÔNG được mã hoá.

store-kind-declaration = tờ khai
store-kind-report = phản ánh
store-kind-follow-up = bước theo dõi
store-state-pending = chờ gửi
store-state-sent = đã gửi
store-state-acknowledged = đã xác nhận
store-state-rejected = máy chủ từ chối
store-col-id = Mã bản ghi
store-col-kind = Loại
store-col-submitted = Thời điểm gửi
store-col-state = Đồng bộ
store-col-name = Họ tên
store-queue-empty = Hàng đợi trống.

store-stats-counts = { $kind }: tổng { $total }, { $pending } chờ gửi, { $sent } đã gửi, { $acknowledged } đã xác nhận, { $rejected } bị máy chủ từ chối
store-stats-flagged = Cần nhân viên kiểm tra: { $count }
store-stats-oldest = Bản ghi cũ nhất chưa được xác nhận: { $time }
store-stats-last-success = Lần đồng bộ thành công gần nhất: { $time }
store-stats-last-error = Lỗi đồng bộ gần nhất: { $time } ({ $error })
store-stats-never = chưa có

store-csv-record-id = Mã bản ghi
store-csv-submitted = Thời điểm gửi (giờ địa phương)
store-csv-kiosk = Kiosk
store-csv-flagged = Cần nhân viên
store-csv-lang = Ngôn ngữ
store-csv-state = Trạng thái đồng bộ
store-export-format = Không có định dạng xuất "{ $format }": dùng csv hoặc xlsx.
store-export-bad-date = "{ $date }" không phải ngày: dùng YYYY-MM-DD (hoặc thời điểm RFC 3339).
store-export-to-terminal = Tệp xuất chứa dữ liệu cá nhân; hãy chuyển vào tệp, ví dụ > export.csv
store-export-done = Đã xuất { $count } tờ khai.

store-purge-done = Đã xoá { $declarations } tờ khai và { $reports } phản ánh cũ hơn { $days } ngày.
store-purge-kept = { $count } bản ghi cũ được giữ lại cho đến khi máy chủ đồng bộ xác nhận (purge --force vẫn xoá).
store-purge-wal-busy = Một chương trình khác đang mở cơ sở dữ liệu: các trang cũ sẽ rời khỏi nhật ký khi chương trình đó đóng hoặc ở lần xoá sau.
store-purge-kept-flags = { $count } người cần theo dõi được giữ lại quá hạn: chưa kết thúc theo dõi.

follow-up-new = Mới, chưa ai tiếp nhận
follow-up-seen-at-desk = Đã gặp tại bàn
follow-up-contacted = Đã liên hệ
follow-up-referred-for-testing = Đã chuyển đi xét nghiệm
follow-up-cleared = Kết thúc theo dõi
follow-up-by-missing = Nhập tên hoặc chữ viết tắt của bạn.
follow-up-too-long = Tối đa { $max } ký tự.

export-report-kinds = Nội dung phản ánh
export-follow-up-declaration = Mã tờ khai
export-follow-up-state = Theo dõi
export-follow-up-by = Người ghi
export-follow-up-at = Thời điểm ghi (giờ địa phương)
export-follow-up-note = Ghi chú
export-sheet-declarations = Tờ khai
export-sheet-reports = Phản ánh
export-sheet-follow-ups = Theo dõi
export-failed = Không xuất được dữ liệu: { $reason }
store-export-files-done = Đã xuất { $declarations } tờ khai, { $reports } phản ánh và { $follow_ups } bước theo dõi.
