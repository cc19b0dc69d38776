## Quét mã: camera, khung hình phát lại, tệp ảnh, máy quét cầm tay.

scan-no-cameras = Không tìm thấy camera nào trên máy tính này. Máy vẫn đọc được mã từ tệp ảnh, máy quét cầm tay hoặc khung hình mẫu.
scan-camera-line = Camera { $index }: { $name }
scan-image-no-code = không tìm thấy mã QR ({ $ms } ms)
scan-image-binary = dữ liệu nhị phân, hex { $hex }
scan-error-image = Không đọc được ảnh { $path }: { $reason }
scan-error-no-camera = Chưa có camera nào được kết nối. Hãy cắm camera: máy sẽ tự nhận.
scan-error-camera-not-found = Không có camera nào khớp với “{ $choice }”. Hãy kiểm tra cài đặt camera hoặc cắm camera vào.
scan-error-camera-open = Không mở được camera { $name }: { $reason }
scan-error-camera-lost = Camera { $name } đã ngừng hoạt động. Đang kết nối lại…
scan-error-replay-empty = Không có ảnh nào để phát lại trong { $path }.
scan-source-stopped = Đã dừng quét.
scan-stalled = Việc đọc mã đang lâu hơn bình thường. Xin giữ yên mã.
scan-no-code-in-image = Không đọc được mã QR nào trong ảnh này. Hãy thử ảnh rõ hơn, hoặc đưa mã lên trước camera.
