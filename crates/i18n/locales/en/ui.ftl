## The kiosk window: screens, buttons, status bar.

ui-welcome-scan = Hold your QR code up to the camera
ui-welcome-kinds = Chip ID card (CCCD), vaccination certificate, or the declaration code you saved last time.
ui-welcome-no-picture = Waiting for the camera picture…
ui-enter-by-hand = Fill in by hand
ui-open-report = Send a report
ui-staff = Staff only
ui-demo-source = No camera: showing demo frames. Handheld scanners still work.
ui-store-unavailable = Declarations cannot be saved on this kiosk. Please call staff.
ui-scan-not-usable = This code is not an ID card, a vaccination certificate or a declaration. You can fill in the form by hand.
ui-scan-refused = The code just scanned cannot be used:
ui-scanned-from = Filled in from
ui-report-sent = Report sent. Thank you!

ui-step-identity = Step 1 of 3: Personal information
ui-step-questions = Step 2 of 3: Health questions
ui-step-review = Step 3 of 3: Check and confirm
ui-back = Back
ui-next = Next
ui-cancel = Cancel
ui-ok = OK
ui-change = Change
ui-finish = Done
ui-none = None
ui-type-to-search = Type to search, e.g. ha noi
ui-fix-problems = Please correct the items marked in red below.
ui-address-pick-new = Please choose the province/city and ward/commune from the new list.
ui-vaccination-optional = Optional. Filled in when you scan a vaccination certificate.
ui-date-format = day/month/year
ui-error-year = A year of birth has 4 digits, e.g. 1985.
ui-error-date = Not a valid date: write it as day/month/year, e.g. 01/10/2021.
ui-staff-unlock = Staff: unlock
ui-source-id-card = Read from the ID card
ui-source-dcc = From the vaccination certificate
ui-source-ckd = From the saved declaration
ui-source-visitor = Declared by the visitor
ui-source-contact = From a contact card
ui-source-scanner = From the scanner
ui-source-verified = verified
ui-source-read = no digital signature
ui-source-unverified = not verified

ui-review-heading = Check your answers
ui-review-flagged = You answered "Yes" to a contact or symptom question: health staff will guide you.
ui-review-flagged-travel = You answered "Yes" to the travel question: at this checkpoint health staff will see you.
ui-review-by-visitor = These answers come from the code the visitor made on the phone page. The hub's signature shows they were not changed since, not that they are true: check them, and go back to correct anything.
ui-save-failed = The declaration is not saved yet. Your answers are still on screen; please call staff.

ui-done-ok = Thank you!
ui-done-ok-detail = Your declaration has been recorded. Please go ahead.
ui-done-staff = Please wait for health staff
ui-done-staff-detail = Your declaration has been recorded. Staff will come to help you right away.
ui-done-code = Take a photo of this code: next time, scan it to declare faster.
ui-done-countdown = Returning to the start in { $seconds } seconds.

ui-report-submit = Send report

ui-status-camera = Camera
ui-status-queue = Records
ui-status-bluetooth = Bluetooth
ui-camera-on = working
ui-camera-replay = replaying images
ui-camera-demo = no camera, showing demo frames

ui-pin-staff = Enter the staff PIN
ui-pin-unlock = Staff: enter the PIN to unlock the fields read from a document
ui-pin-close = Enter the PIN to close the kiosk
ui-pin-erase = Erase
ui-pin-wrong = Wrong PIN.
ui-pin-locked = Too many wrong PINs. Try again in { $seconds } seconds.
ui-pin-change-default = This kiosk still uses the default PIN. Please change it under Settings.

ui-staff-title = Staff
ui-staff-tab-overview = Overview
ui-staff-tab-flagged = Needs attention
ui-staff-tab-settings = Settings
ui-staff-back = Back to visitors
ui-staff-today = Today
ui-staff-declarations = declarations
ui-staff-flagged = need staff
ui-staff-reports = reports
ui-staff-adoption = with Bluezone at check-in
ui-staff-sync = Sending records to the server
ui-staff-sync-now = Send now
ui-staff-sync-started = Sending records to the server.
ui-staff-rejected = The server refused { $count } records: they are kept on the kiosk (see `queue list`).
ui-staff-phones = Phones near the kiosk: { $bluezone } with Bluezone / { $all } in all
ui-staff-problems = Problems to look at
ui-staff-close = Close the kiosk
ui-staff-flagged-heading = Visitors who need staff
ui-staff-flagged-none = No visitor is waiting for staff.
ui-flagged-summary = Not cleared: { $open }. Not seen by anyone yet: { $waiting }.
ui-flagged-by = Your name or initials (saved with each step)
ui-flagged-by-placeholder = e.g. Lan
ui-flagged-previous = Previous
ui-flagged-next = Next
ui-flagged-page = Page { $page } of { $pages }
ui-flagged-state-by = { $state } ({ $by }, { $at })
ui-flagged-recorded = Recorded: { $state }.
ui-waiting-badge = { $count ->
    [one] 1 visitor waiting for staff
   *[other] { $count } visitors waiting for staff
}
ui-done-acknowledge = Staff: I have seen this visitor

ui-settings-lang = Default language
ui-settings-idle = Clear an unfinished declaration after
ui-settings-text-size = Text size
ui-settings-sounds = Sounds
ui-settings-travel-flags = A “yes” to travel in the last 14 days sends the visitor to staff
ui-settings-hub-set = Set by the hub
ui-settings-retention = Days to keep records
ui-settings-camera = Camera
ui-settings-camera-hint = number or name; empty: the first camera
ui-settings-server = Sync server
ui-settings-pin = New PIN (twice; leave empty to keep the current one)
ui-settings-restart-note = Camera, server and retention take effect at the next start. Settings marked “Set by the hub” are changed on the hub.
ui-settings-save = Save settings
ui-settings-saved = Settings saved.
ui-settings-saved-broken = Settings saved. The damaged configuration file was kept as { $path }.
ui-settings-error-retention = Days to keep records must be between 1 and 365.
ui-settings-error-server = The server address must start with https://
ui-settings-error-pin = A PIN has { $min } to { $max } digits.
ui-settings-error-pin-mismatch = The two PINs are not the same.

ui-ble-scanning = counting phones
ui-ble-off = turned off
ui-ble-starting = starting
ui-ble-adapter-off = adapter off
ui-ble-no-permission = no permission
ui-ble-unavailable = no adapter
ui-demo-read = Demo code read:
ui-demo-try = Try the form with the demo code
ui-camera-none = off (handheld scanners only)

ui-staff-tab-reports = Reports
ui-staff-tab-export = Export
ui-reports-heading = Reports sent at this kiosk
ui-reports-none = No report has been sent here.
ui-export-heading = Export declarations, reports and follow-up
ui-export-range = From day – to day (inclusive), as YYYY-MM-DD:
ui-export-xlsx = Excel (XLSX)
ui-export-csv = CSV (3 files)
ui-export-where = Save to:
ui-export-here = This kiosk (exports folder)
ui-export-no-usb = No USB stick found. Plug one in, then tap “Look again”.
ui-export-go = Export
ui-export-refresh = Look again
ui-export-bad-date = Write both days as YYYY-MM-DD, e.g. 2026-12-04.
ui-export-bad-range = The last day comes before the first.
ui-export-done = Exported { $declarations } declarations, { $reports } reports, { $follow_ups } follow-up steps to { $path }.
ui-status-trust = Certificates
ui-trust-missing = no trust list
ui-trust-old = trust list out of date
ui-trust-heading = Vaccination certificate trust list
ui-trust-import = Import { $file }
ui-trust-no-files = No trust list file (.json or .pem) on a USB stick.
ui-status-serial = Scanner
ui-serial-devices = { $devices }
osk-delete = Delete
osk-space = Space
osk-shift = Capital
osk-numbers = 123
osk-letters = ABC
osk-done = Done

## Staff screen: the hub, and joining one with an enrolment code
ui-staff-tab-hub = Hub
ui-hub-heading = Connect to a hub
ui-hub-none = This kiosk sends to no hub yet: its records stay here until it does.
ui-hub-connected = Sends to { $server } as kiosk { $kiosk }.
ui-hub-connected-pinned = Sends to { $server } as kiosk { $kiosk }, trusting only that hub's certificate.
ui-hub-how = Hold the enrolment code from the hub's administrator up to the camera, scan it with the handheld scanner, or type it here.
ui-hub-connect = Connect
ui-hub-connecting = Connecting…
ui-scan-enrolment-code = This is a code that connects the kiosk to a hub. Staff: open the staff screen, tab "Hub", and hold it up there.
ui-hub-fleet = Settings and trust list from the hub, issued { $issued }: they replace this kiosk's own settings where they differ.
