## Texts shared by every part of the kiosk.

app-name = Health checkpoint
lang-name = English
error-file-read = Cannot read the file { $path }: { $reason }
error-file-write = Cannot write the file { $path }: { $reason }
error-json = Invalid JSON at line { $line }, column { $column }: { $reason }
error-config = The configuration file { $path } has an error at line { $line }, column { $column }: { $reason }. The kiosk runs on default settings; the file is left as it is.
error-data-dir = The data folder { $path } cannot be used: { $reason }
error-disk-full = The disk is full: the data could not be saved. Please tell the staff.
error-internal = An internal error occurred. Data already saved is not lost.
