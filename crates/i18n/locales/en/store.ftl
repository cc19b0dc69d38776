## The local store: errors, the queue commands, export and purge.

store-error-key-io = Cannot read or create the database key { $path }: { $reason }
store-error-key-missing = The database { $db } exists but its key file { $path } is missing. Put the key file back (or set store.key_file); a new key could not open the existing data.
store-error-key-format = The database key in { $origin } is not valid: it must be 64 hexadecimal digits.
store-error-wrong-key = The database { $path } cannot be opened: the key is wrong, or the file is not an encrypted kiosk database (check store.key_file and store.plaintext).
store-error-too-new = The database { $path } was written by a newer version of the kiosk (schema { $found }; this version knows up to { $supported }). Update the kiosk software; the file is left as it is.
store-error-read-only = Cannot write to { $path } (a read-only folder or file): { $reason }
store-error-corrupt = The database { $path } is damaged: { $reason }. Do not delete it; tell the technical staff.
store-error-invalid = The declaration was not stored: { $count ->
    [one] one problem
   *[other] { $count } problems
  }.
store-error-too-large = The record is too large ({ $bytes } bytes; at most { $max }).
store-error-duplicate = A record with id { $id } is already stored.
store-error-bad-record = The stored record { $id } cannot be read: { $reason }
store-error-sqlite = Database error in { $path }: { $reason }
store-error-bad-id = "{ $id }" is not a record id (a UUID such as 0190c6b2-3f4e-7c1a-9b2d-123456789abc).
store-error-not-found = No record with id { $id }.

store-input-too-large = The input is too large: a declaration is at most { $max } bytes.
store-input-not-utf8 = The input is not UTF-8 text (invalid byte at offset { $offset }). Save the file as UTF-8.
store-input-empty = The input is empty: give a declaration as JSON (see declare --template).
store-input-unknown-field = Unknown field "{ $field }" at line { $line }, column { $column }. Check the spelling against declare --template.
store-input-missing-field = The field "{ $field }" is missing (line { $line }, column { $column }).
store-input-wrong-type = Wrong kind of value at line { $line }, column { $column }: { $reason }
store-input-unknown-value = "{ $value }" is not one of the allowed values (line { $line }, column { $column }).
store-declare-no-input = Give the declaration with --json FILE (or --json - for standard input), or use --template to see an example.
store-plaintext-warning = Warning: store.plaintext is on; the database is NOT encrypted.

store-kind-declaration = declaration
store-kind-report = report
store-kind-follow-up = follow-up step
store-state-pending = pending
store-state-sent = sent
store-state-acknowledged = acknowledged
store-state-rejected = refused by the server
store-col-id = Record id
store-col-kind = Kind
store-col-submitted = Submitted
store-col-state = Sync
store-col-name = Name
store-queue-empty = The queue is empty.

store-stats-counts = { $kind }: { $total } in all, { $pending } pending, { $sent } sent, { $acknowledged } acknowledged, { $rejected } refused by the server
store-stats-flagged = Flagged for staff: { $count }
store-stats-oldest = Oldest record not yet acknowledged: { $time }
store-stats-last-success = Last successful sync: { $time }
store-stats-last-error = Last sync error: { $time } ({ $error })
store-stats-never = never

store-csv-record-id = Record id
store-csv-submitted = Submitted at (local time)
store-csv-kiosk = Kiosk
store-csv-flagged = Needs staff
store-csv-lang = Language
store-csv-state = Sync state
store-export-format = Unknown export format "{ $format }": use csv or xlsx.
store-export-bad-date = "{ $date }" is not a date: use YYYY-MM-DD (or an RFC 3339 time).
store-export-to-terminal = The export contains personal data; redirect it to a file, e.g. > export.csv
store-export-done = Exported { $count } declarations.

store-purge-done = Purged { $declarations } declarations and { $reports } reports older than { $days } days.
store-purge-kept = { $count } older records are kept until the sync server acknowledges them (purge --force deletes them anyway).
store-purge-wal-busy = Another program has the database open: the old pages leave the log when it closes or at the next purge.
store-purge-kept-flags = { $count } flagged visitors are kept past their time: their follow-up is not cleared yet.

follow-up-new = New, not seen yet
follow-up-seen-at-desk = Seen at the desk
follow-up-contacted = Contacted
follow-up-referred-for-testing = Referred for testing
follow-up-cleared = Cleared
follow-up-by-missing = Write your name or initials.
follow-up-too-long = At most { $max } characters.

export-report-kinds = What is reported
export-follow-up-declaration = Declaration record id
export-follow-up-state = Follow-up
export-follow-up-by = Recorded by
export-follow-up-at = Recorded at (local time)
export-follow-up-note = Note
export-sheet-declarations = Declarations
export-sheet-reports = Reports
export-sheet-follow-ups = Follow-up
export-failed = The export could not be made: { $reason }
store-export-files-done = Exported { $declarations } declarations, { $reports } reports and { $follow_ups } follow-up steps.
