## Bluetooth LE: Bluezone phones near the kiosk.

ble-status-disabled = Bluetooth counting is switched off in the settings.
ble-status-starting = Bluetooth: starting…
ble-status-scanning = Bluetooth: listening for nearby phones ({ $adapter }).
ble-status-no-system-bus = Bluetooth unavailable: the system D-Bus cannot be reached. The kiosk keeps working; counting starts by itself when it returns.
ble-status-no-bluez = Bluetooth unavailable: the Bluetooth service (BlueZ) is not running. The kiosk keeps working; counting starts by itself when the service starts.
ble-status-no-adapter = No Bluetooth adapter found. The kiosk keeps working; counting starts by itself when an adapter is plugged in.
ble-status-adapter-off = The Bluetooth adapter is switched off or blocked. The kiosk keeps working; counting starts by itself when it is switched on.
ble-status-permission-denied = Bluetooth unavailable: this user is not allowed to use Bluetooth. The kiosk keeps working; ask the administrator to allow access to BlueZ.
ble-status-failed = Bluetooth unavailable ({ $detail }). The kiosk keeps working and tries again.

ble-class-bluezone-android = Bluezone (Android)
ble-class-bluezone-ios = Bluezone (iPhone)
ble-class-bluezone-ios-unconfirmed = Bluezone? (iPhone in background, unconfirmed)
ble-class-exposure-notification = Exposure Notification
ble-class-other = Other device

ble-proximity-near = at the kiosk
ble-proximity-contact = nearby
ble-proximity-far = far
ble-proximity-unknown = unknown

ble-scan-header = { $count } devices heard in the last { $minutes } minutes (distance is an estimate from signal strength):
ble-scan-summary = Bluezone phones: { $bluezone } (Android { $android }, iPhone { $ios }), unconfirmed iPhones: { $unconfirmed }, Exposure Notification phones: { $gaen }, other devices: { $other }.
ble-scan-none = No device heard.
ble-scan-never-started = Scanning did not start: { $reason }

ble-stats-title = Bluezone adoption: share of check-ins with a Bluezone phone at the kiosk
ble-stats-columns = Period | Check-ins | Observed | With Bluezone | Share | Bluezone phones | Peak phones
ble-stats-empty = No check-ins or counts recorded in this period.
ble-stats-no-store = The statistics cannot be read from the local database: { $reason }
ble-stats-share-unknown = –
