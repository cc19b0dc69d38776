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
hub-user-hash-failed = { $reason }
hub-user-no-password = Không có mật khẩu ở đầu vào chuẩn.
hub-export-unreadable = { $count } bản ghi không đọc được nên không có trong tệp xuất.
hub-export-xlsx-needs-out = Xuất XLSX cần --out TỆP.
