## Sync: the kiosk's client and the reference hub.

sync-not-configured = No sync server is configured: records stay on this kiosk.
sync-bad-url = The sync server address { $url } cannot be used: { $reason }
sync-plain-http = The sync server { $url } uses plain http, which would send personal data unencrypted. Use https, or set allow_plain_http only on a trusted local link.
sync-ca-file = The CA certificate file { $path } cannot be used: { $reason }
sync-bad-pin = The pinned certificate hash must be 64 hexadecimal digits (SHA-256).
sync-client-error = The connection to the sync server cannot be set up: { $reason }
sync-offline = The sync server cannot be reached. Records are kept safely and will be sent when the network is back.
sync-tls = The sync server's certificate is not trusted. Records are kept; ask the administrator to check the certificate settings.
sync-timeout = The sync server did not answer within { $secs } seconds. Records are kept and will be sent again.
sync-token-rejected = The sync server refused this kiosk's token. Records are kept; ask the administrator for a new token.
sync-server-error = The sync server had a problem (error { $status }). Records are kept and will be sent again.
sync-too-large = The batch was too large for the sync server; smaller batches will be sent.
sync-refused = The sync server refused the request (error { $status }, { $code }). Records are kept.
sync-bad-answer = The sync server's answer could not be understood. Records are kept and will be sent again.
sync-queue-error = The local queue could not be read or updated: { $reason }
sync-hub-db = The hub's database cannot be used: { $reason }
sync-hub-tls = The hub's certificate or key cannot be used: { $reason }
sync-hub-listen = The hub cannot listen on { $addr }: { $reason }
cli-hub-moved = The hub is its own program now: run checkpoint-hub (e.g. cargo run -p checkpoint-hub -- --help).
sync-hub-listening = Hub listening on { $addr } ({ $scheme }), store: { $store }
sync-done = Sent: { $stored } stored, { $duplicate } already on the hub, { $rejected } refused. Still waiting: { $pending }.
sync-running = Syncing in the background. Press Ctrl+C to stop.
sync-token-added = Token for kiosk { $kiosk } (shown only once, put it in the kiosk's [sync] token):
sync-token-list-empty = No tokens.
sync-token-revoked = Tokens revoked: { $count }
sync-token-selector = Give --kiosk or --id.
sync-export-done = Exported { $count } records to { $path }
sync-date-invalid = Invalid date { $value }: use YYYY-MM-DD or RFC 3339.
sync-stats-unsynced = Waiting to be sent: { $count }
sync-stats-last-success = Last successful sync: { $time }
sync-stats-last-error = Last sync error ({ $time }): { $message }
sync-stats-never = never
sync-status-idle = Synced
sync-status-sending = Sending…
sync-status-retrying = Offline, will retry: { $count } waiting
sync-status-disabled = No sync server
sync-status-clock = { $direction ->
    [ahead] Clock { $minutes } min fast
   *[behind] Clock { $minutes } min slow
}: set the time
sync-error-recorded = The last attempt failed: { $detail }

## Enrolment: joining a hub with a code
enrol-bad-code = This is not a usable enrolment code ({ $reason }). Ask the hub's administrator for a new one.
enrol-used = This enrolment code was used already: each code enrols one kiosk. Ask for a new one.
enrol-expired = This enrolment code has expired. Ask for a new one.
enrol-revoked = This enrolment code was revoked. Ask for a new one.
enrol-unknown = The hub does not know this enrolment code. Check that it was made by this hub.
enrol-no-code-in-image = No QR code could be read in { $path }.
enrol-done = Enrolled as kiosk { $kiosk } at { $checkpoint }; { $count } records made before are sent under this id.
fleet-refused = The configuration from the hub was refused ({ $reason }): the kiosk keeps its own settings and the last good configuration.
