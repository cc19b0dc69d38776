# The hub's console accounts (checkpoint-hub user …).
hub-user-added = Account { $name } ({ $role }) added.
hub-user-password-once = Its password (shown only once; it can be changed after signing in):
hub-user-exists = An account named { $name } already exists.
hub-user-missing = No account named { $name }.
hub-user-disabled = Account { $name } disabled: it can no longer sign in.
hub-user-already-disabled = Account { $name } is already disabled or does not exist.
hub-user-password-reset = New password for { $name } (shown only once; the account is enabled):
hub-user-password-set = Password of { $name } set; the account is enabled.
hub-user-list-empty = No accounts yet. Add the first admin: checkpoint-hub user add NAME --role admin
hub-user-all-groups = all groups
hub-user-bad-name = Account names are 1 to 64 letters, digits, '.', '-' or '_'.
hub-user-short-password = A password needs at least { $min } characters.
hub-user-weak-password = This password is too common or too easy to guess (a word, a name, a keyboard row, repeats). Choose a longer one: a few unrelated words, for example.
hub-user-hash-failed = { $reason }
hub-user-no-password = No password on standard input.
hub-export-unreadable = { $count } records could not be read and are left out.
hub-export-xlsx-needs-out = An XLSX export needs --out FILE.
console-title = Checkpoint console
console-sign-in = Sign in
console-sign-out = Sign out
console-name = Account name
console-password = Password
console-wrong = Wrong account name or password.
console-throttled = Too many failed attempts: try again in { $minutes } min.
console-store-down = The hub's store did not answer; please try again in a minute.
console-form-expired = This form has expired or was not sent from this console. Please try again.
console-signed-in-as = { $name } ({ $role })
console-role-viewer = viewer
console-role-health-officer = health officer
console-role-admin = admin
console-overview = Overview
console-today = today
console-in-all = in all
console-kind-declaration = Declarations
console-kind-report = Reports (phản ánh)
console-kind-follow-up = Follow-up steps
console-flagged = Flagged visitors
console-flagged-total = { $count ->
    [one] One visitor triaged red.
   *[other] { $count } visitors triaged red, newest first.
}
console-kiosk = kiosk
console-next-step = Follow-up step
console-note = Note (what was said, where they were sent)
console-save-step = Save
console-not-for-role = This page is not open to your role.
console-bad-request = The form held values this console does not send.
console-password-changed-sign-in = Your password was changed. Sign in again with the new one.
console-unreadable = { $count ->
    [one] One record on this page could not be read (id: { $ids }); it is kept, and in a raw export (checkpoint-hub export --format raw).
   *[other] { $count } records on this page could not be read (ids: { $ids }); they are kept, and in a raw export (checkpoint-hub export --format raw).
}
console-audit = Audit log
console-audit-at = When (Vietnam time)
console-audit-action = Action
console-audit-target = Record or account
console-audit-detail = Detail
console-reports = Reports
console-reports-total = { $count ->
    [one] One report, newest first.
   *[other] { $count } reports, newest first.
}

# Checkpoints (checkpoint-hub checkpoint …).
hub-checkpoint-added = Checkpoint { $id } added.
hub-checkpoint-exists = A checkpoint with id { $id } already exists.
hub-checkpoint-missing = No checkpoint with id { $id }.
hub-checkpoint-list-empty = No checkpoints yet. Add one: checkpoint-hub checkpoint add ID --name "NAME" --group GROUP
hub-checkpoint-assigned = Kiosk { $kiosk } assigned to { $id }; { $records } earlier records of the kiosk attached to it.
hub-checkpoint-bad-id = Checkpoint ids are 1 to 40 lower-case letters (no accents), digits or '-'.
hub-checkpoint-no-name = A checkpoint needs a name (at most 120 characters).
hub-checkpoint-unknown-province = No province with code { $code } in the address data.
hub-checkpoint-ward-not-in-province = Ward { $code } is not in the chosen province.
hub-checkpoint-bad-group = Group names are at most 80 characters, without commas.

# Backup and retention.
hub-backup-done = Backed up to { $file } ({ $bytes } bytes), encrypted with the same key.
hub-backup-key = Keep the key file { $key } somewhere safe, apart from the backup: without it the copy cannot be opened.
hub-backup-postgres = The store is PostgreSQL: back it up with PostgreSQL's own tools, for example: pg_dump --format=custom --file={ $file } "$CK_HUB_DATABASE_URL"
hub-purged = Deleted { $records } records older than { $days } days; kept { $kept } flagged visitors still under follow-up (at most { $max } days).

# Contact tracing.
console-tracing = Tracing
console-trace-case = Case: ID card/passport number, phone number or record id
console-trace-window = Window before and after each check-in (minutes)
console-trace-run = Trace
console-trace-summary = The case checked in { $check_ins } times in the last { $days } days; { $contacts } check-ins by others at the same place within ±{ $window } minutes.
console-trace-export = Download the list (CSV)
console-trace-nobody = Nobody else declared at this place within that window.
console-trace-when = When
console-trace-apart = Apart (min)
console-trace-name = Full name
console-trace-case-check-in = Case's check-in
console-trace-place = Checkpoint

# Overview by group and checkpoint.
console-all-groups = All
console-no-group = (no group)
console-adoption = Bluezone adoption
console-adoption-of = { $with } of { $observed } check-ins with a Bluezone phone near the kiosk
console-kiosks-silent = Kiosks silent
console-silent-after = nothing heard for over { $minutes } minutes
console-waiting = Flagged, waiting over { $hours } h
console-waiting-hint = nobody has attended to them yet (state "new")
console-last-days = The last { $days } days
console-chart-declarations = Declarations per day (red: flagged)
console-chart-table = Show the figures as a table
console-day = Day
console-by-group = By group
console-group = Group
console-checkpoints = Checkpoints
console-checkpoint = Checkpoint
console-province = Province
console-ward = Ward or commune (name or code)
console-place = Place
console-unassigned = Kiosks not assigned to a checkpoint
console-checkpoint-id = Checkpoint id
console-no-checkpoints = No checkpoints within your groups yet.
console-retention = Records are kept { $days } days; flagged visitors under follow-up at most { $max } days.
console-retention-last = Last purge { $at }: { $records } records.
console-retention-failed = The last purge could not run (the store did not answer); it will try again.
# Kiosks.
console-kiosks = Kiosks
console-kiosk-column = Kiosk
console-no-kiosks = No kiosk has sent anything or been assigned yet.
console-kiosk-state = State
console-last-heard = Last heard
console-queue = Waiting to send
console-camera = Camera
console-bluetooth = Bluetooth
console-own-checkins = Check-ins today (kiosk's count)
console-version = Version
console-silent = Silent
console-heard = OK
console-sync-failing = sync failing
console-just-now = just now
console-never = never
console-minutes-ago = { $n } min ago
console-hours-ago = { $n } h ago
console-device-working = working
console-device-demo = no camera (demo frames)
console-device-replay = replay
console-device-off = off
console-device-starting = starting
console-device-missing = no device
console-device-failed = failed
console-device-adapter-off = adapter switched off
console-device-no-permission = no permission
console-device-unknown = unknown
console-tokens = Kiosk tokens
console-token-id = Id
console-token-label = Label
console-token-state = State
console-token-revoked = revoked
console-token-revoke = Revoke
console-token-issue = Issue a token
console-token-once = New token for kiosk { $kiosk } (shown only once; enter it in the kiosk's settings):
console-checkpoint-add = Add checkpoint
console-assign = Assign kiosk

# Accounts.
console-account = My account
console-change-password = Change password
console-current-password = Current password
console-new-password = New password (at least 10 characters)
console-repeat-password = New password again
console-wrong-current = The current password is wrong.
console-passwords-differ = The two new passwords differ.
console-users = Accounts
console-role = Role
console-user-groups = Limit to groups (comma-separated; empty: every group)
console-user-add = Add account
console-user-disable = Disable
console-user-reset = Reset password
console-user-disabled = disabled
console-user-active = active
console-password-once = Password of { $name } (shown only once; give it to them privately, they can change it after signing in):

# Bluezone campaign.
console-campaign = Bluezone campaign
console-campaign-measured = Adoption measured over the last { $days } days: check-ins with a Bluezone phone near the kiosk, of the check-ins the kiosk could observe.
console-target-line = target { $percent }% by { $deadline }
console-behind = Units behind target
console-behind-none = Every unit has reached its target.
console-unit = Unit
console-target = Target
console-deadline = Deadline
console-measured = Measured
console-gap = Short by (points)
console-target-reached = reached
console-target-behind = behind
console-target-missed = deadline passed, not reached
console-target-no-data = no figures yet
console-targets = Targets
console-target-add = Add target
console-target-delete = Delete
console-target-invalid = A target is a number from 1 to 100 and a valid date.
console-target-exists = This unit already has a target for that date.
console-outside-groups = Your account manages only its own groups: an account, checkpoint or target must belong to them (an account with no group is the whole hub's).

# Exports.
console-exports = Exports
console-export-from = From
console-export-to = To (inclusive)
console-export-all = Every checkpoint within my groups
console-export-format = Format
console-export-xlsx = XLSX workbook (every sheet)
console-export-csv = CSV (one sheet)
console-export-sheet = Sheet (for CSV)
console-export-headers = Column headers
console-export-download = Download

# Actions in the audit log.
console-audit-code = Action code
console-audit-export = Download the log (CSV)
console-audit-latest = The latest 500 entries, newest first. Download the log for other dates.
audit-signed-in = Signed in
audit-sign-in-failed = Sign-in failed
audit-sign-in-throttled = Sign-in blocked (too many failures)
audit-signed-out = Signed out
audit-password-changed = Changed own password
audit-password-change-refused = Password change refused
audit-flagged-viewed = Read flagged visitors
audit-reports-viewed = Read reports
audit-follow-up-recorded = Recorded a follow-up step
audit-trace-run = Ran a contact trace
audit-trace-exported = Downloaded a contact trace
audit-export-downloaded = Exported records
audit-audit-exported = Downloaded the audit log
audit-token-issued = Issued a kiosk token
audit-enrolment-created = Made an enrolment code
audit-enrolment-revoked = Revoked an enrolment code
audit-kiosk-enrolled = A kiosk enrolled with a code
audit-token-revoked = Revoked a kiosk token
audit-checkpoint-added = Added a checkpoint
audit-kiosk-assigned = Assigned a kiosk to a checkpoint
audit-target-added = Set a campaign target
audit-target-deleted = Removed a campaign target
audit-user-added = Added an account
audit-user-disabled = Disabled an account
audit-password-reset = Reset an account's password

## The hub's configuration file and certificate
hub-config-unreadable = The configuration file { $path } cannot be used: { $reason }
hub-certificate-made = No certificate was configured: the hub made its own, { $path }, and keeps it.
hub-certificate-sha256 = Certificate SHA-256 (kiosks pin it): { $sha256 }

## Enrolment codes
hub-enrol-unknown-checkpoint = No checkpoint with id { $id }: add it first (checkpoint-hub checkpoint add).
hub-enrol-bad-url = { $url } cannot go in an enrolment code: give --hub-url https://name:port, the address kiosks reach this hub at.
hub-enrol-added = Enrolment code for checkpoint { $checkpoint }, valid until { $expires } (Vietnam time), good for one kiosk:
hub-enrol-list-empty = No enrolment codes.
hub-enrol-id = Give the code's id from `checkpoint-hub enrol list` (at least 8 hex digits).
hub-enrol-revoked = { $count } enrolment codes revoked.
console-enrol = Enrol a new kiosk
console-enrol-how = Make a code for the checkpoint where the kiosk stands, then on the kiosk open Staff → Hub and hold the code up to its camera. Each code enrols one kiosk.
console-enrol-hours = Valid for (hours)
console-enrol-make = Make an enrolment code
console-enrol-until = Valid until (Vietnam)
console-enrol-used = Used by { $kiosk }
console-enrol-expired = Expired
console-enrol-made = Enrolment code for { $checkpoint }, valid until { $expires } (Vietnam time). Hold it up to the new kiosk's camera (Staff → Hub), or type the text below.
console-enrol-cannot = No code was made: choose a checkpoint of yours, and reach the console over the hub's own HTTPS address (a hub behind a proxy makes codes with `checkpoint-hub enrol add --hub-url`).

## The fleet's configuration
hub-signing-key = Hub signing key (kiosks check the fleet configuration with it): { $key }
hub-fleet-set = Every kiosk takes { $key } = { $value } at its next sync.
hub-fleet-unset = Every kiosk goes back to its own { $key } at its next sync.
hub-fleet-bad-setting = { $key } = { $value } is not a setting kiosks take: expected { $expected }.
fleet-expected-number = a whole number from { $min } to { $max }
fleet-expected-lang = vi or en
fleet-expected-on-off = on or off
fleet-expected-key = one of { $keys }
fleet-setting-retention-days = How many days a kiosk keeps records before deleting them (flagged visitors stay until cleared)
fleet-setting-idle-timeout-secs = Seconds without a touch before a visitor’s unfinished form is cleared
fleet-setting-lang = The language a kiosk greets visitors in
fleet-setting-sounds = Whether kiosks play their sounds
fleet-setting-travel-flags = Whether a yes to the travel question flags the visitor
hub-fleet-trust-list = Trust list kept for every kiosk: { $count } signers; kiosks take it at their next sync.
hub-fleet-trust-list-bad = { $path } is not a usable trust list: { $reason }
hub-certificate-renewed = The next certificate is made (SHA-256 { $sha256 }): kiosks learn it at their next sync. Once they have, run `checkpoint-hub certificate rotate` and restart the hub.
hub-certificate-rotated = The next certificate is now the hub's: restart the hub to serve it.
hub-certificate-nothing-to-rotate = No next certificate is waiting: make one with `checkpoint-hub certificate renew`.
hub-plain-http-public = --plain-http serves without TLS, so only on a loopback address (behind a proxy on the same machine) or with --trusted-proxy naming the proxy in front; { $listen } is not one. Give a 127.0.0.1 address, --trusted-proxy, or a certificate.
