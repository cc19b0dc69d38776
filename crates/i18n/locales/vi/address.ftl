## Địa chỉ: chuyển địa chỉ cũ trên thẻ sang đơn vị hành chính mới (từ 1/7/2025).

address-mapped-exact = Địa chỉ trên thẻ đã được chuyển sang tên mới: { $ward }, { $province }. Vui lòng kiểm tra lại.
address-mapped-province-only = Chỉ xác định được tỉnh/thành phố: { $province }. Vui lòng chọn phường/xã.
address-not-recognised = Không nhận ra địa chỉ trên thẻ. Vui lòng chọn tỉnh/thành phố và phường/xã.
