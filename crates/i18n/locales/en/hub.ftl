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
console-audit = Audit log
console-audit-at = When (UTC)
console-audit-action = Action
console-audit-target = Record or account
console-audit-detail = Detail
console-reports = Reports
console-reports-total = { $count ->
    [one] One report, newest first.
   *[other] { $count } reports, newest first.
}
