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
