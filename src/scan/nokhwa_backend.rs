//! The real hardware edge: webcams through nokhwa (V4L2 on Linux, Media
//! Foundation on Windows, AVFoundation on macOS).

use image::RgbaImage;
use nokhwa::pixel_format::RgbAFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};

use super::camera::{CameraBackend, CameraInfo, CameraStream, CaptureRequest};
use super::source::SourceError;

/// Cameras through nokhwa.
#[derive(Debug, Clone, Copy, Default)]
pub struct NokhwaBackend;

/// An open nokhwa camera.
pub struct NokhwaStream {
    camera: nokhwa::Camera,
    name: String,
}

impl std::fmt::Debug for NokhwaStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NokhwaStream")
            .field("name", &self.name)
            .finish()
    }
}

impl CameraBackend for NokhwaBackend {
    type Stream = NokhwaStream;

    fn list(&self) -> Result<Vec<CameraInfo>, SourceError> {
        let found = nokhwa::query(ApiBackend::Auto).map_err(|e| SourceError::OpenFailed {
            name: String::new(),
            reason: e.to_string(),
        })?;
        Ok(found
            .iter()
            .enumerate()
            .map(|(pos, info)| CameraInfo {
                index: info.index().as_index().unwrap_or(pos as u32),
                name: info.human_name(),
                description: info.description().to_owned(),
            })
            .collect())
    }

    fn open(
        &self,
        camera: &CameraInfo,
        request: CaptureRequest,
    ) -> Result<NokhwaStream, SourceError> {
        let failed = |e: nokhwa::NokhwaError| SourceError::OpenFailed {
            name: camera.name.clone(),
            reason: e.to_string(),
        };
        // MJPEG first: webcams deliver 720p at 30 fps only compressed.
        let wanted = CameraFormat::new(
            Resolution::new(request.width, request.height),
            FrameFormat::MJPEG,
            request.fps,
        );
        let format = RequestedFormat::new::<RgbAFormat>(RequestedFormatType::Closest(wanted));
        let mut cam =
            nokhwa::Camera::new(CameraIndex::Index(camera.index), format).map_err(failed)?;
        cam.open_stream().map_err(failed)?;
        Ok(NokhwaStream {
            camera: cam,
            name: camera.name.clone(),
        })
    }
}

impl CameraStream for NokhwaStream {
    fn read(&mut self) -> Result<RgbaImage, SourceError> {
        let lost = |e: nokhwa::NokhwaError| SourceError::CameraLost {
            name: self.name.clone(),
            reason: e.to_string(),
        };
        let buffer = self.camera.frame().map_err(lost)?;
        let decoded = buffer.decode_image::<RgbAFormat>().map_err(lost)?;
        let (w, h) = (decoded.width(), decoded.height());
        RgbaImage::from_raw(w, h, decoded.into_raw()).ok_or_else(|| SourceError::CameraLost {
            name: self.name.clone(),
            reason: "frame of unexpected size".into(),
        })
    }
}

impl Drop for NokhwaStream {
    fn drop(&mut self) {
        // Releases the device so a replugged camera can be opened again.
        let _ = self.camera.stop_stream();
    }
}

/// The cameras the system lists (an empty list when there are none or the
/// system cannot list them: logged, not an error for the caller).
pub fn list_cameras() -> Vec<CameraInfo> {
    match NokhwaBackend.list() {
        Ok(list) => list,
        Err(err) => {
            tracing::warn!(%err, "cannot list cameras");
            Vec::new()
        }
    }
}
