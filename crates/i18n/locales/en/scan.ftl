## Scanning: cameras, replayed frames, image files, handheld scanners.

scan-no-cameras = No camera was found on this computer. The kiosk can still read codes from image files, a handheld scanner, or its demo frames.
scan-camera-line = Camera { $index }: { $name }
scan-image-no-code = no QR code found ({ $ms } ms)
scan-image-binary = binary data, hex { $hex }
scan-error-image = Cannot read the image { $path }: { $reason }
scan-error-no-camera = No camera is connected. Plug one in: the kiosk will find it by itself.
scan-error-camera-not-found = No camera matches “{ $choice }”. Check the camera setting, or plug the camera in.
scan-error-camera-open = The camera { $name } cannot be opened: { $reason }
scan-error-camera-lost = The camera { $name } stopped working. Reconnecting…
scan-error-replay-empty = There is no image to replay in { $path }.
scan-source-stopped = Scanning has stopped.
scan-stalled = Reading the code is taking longer than usual. Please hold still.
scan-no-code-in-image = No QR code could be read in this image. Try a sharper photo, or hold the code up to the camera.
