## Texts shared by every part of the kiosk.

app-name = Trạm kiểm soát y tế
lang-name = Tiếng Việt
error-file-read = Không đọc được tệp { $path }: { $reason }
error-file-write = Không ghi được tệp { $path }: { $reason }
error-json = Dữ liệu JSON không hợp lệ ở dòng { $line }, cột { $column }: { $reason }
error-config = Tệp cấu hình { $path } bị lỗi ở dòng { $line }, cột { $column }: { $reason }. Kiosk đang chạy với cấu hình mặc định; tệp được giữ nguyên.
error-data-dir = Không dùng được thư mục dữ liệu { $path }: { $reason }
error-disk-full = Ổ đĩa đã đầy: không lưu được dữ liệu. Hãy báo nhân viên.
error-internal = Đã xảy ra lỗi nội bộ. Dữ liệu đã lưu không bị mất.
