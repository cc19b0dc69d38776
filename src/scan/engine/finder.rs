//! A cheap count of finder-like patterns (the 1:1:3:1:1 squares in three
//! corners of a QR code). It guards rqrr, whose grouping step grows with the
//! square of the candidates it meets: a moiré photo of a screen once kept it
//! busy for 112 s.

use image::GrayImage;

/// A run of rows with a 1:1:3:1:1 pattern at about the same place.
#[derive(Debug, Clone, Copy)]
struct Cluster {
    centre_x: f32,
    module: f32,
    last_row: u32,
    rows: u32,
}

/// How many finder-like patterns a binary image (0 = black) holds, counting
/// each one that spans at least three rows. Stops counting at `cap`.
pub(crate) fn count_finder_like(binary: &GrayImage, cap: usize) -> usize {
    let (w, h) = (binary.width() as usize, binary.height() as usize);
    let src = binary.as_raw();
    let mut open: Vec<Cluster> = Vec::new();
    let mut done = 0usize;
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(64);
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        runs.clear();
        let mut start = 0;
        for x in 1..=w {
            if x == w || (row[x] < 128) != (row[start] < 128) {
                runs.push((start, x - start));
                start = x;
            }
        }
        for i in 0..runs.len().saturating_sub(4) {
            if row[runs[i].0] >= 128 {
                continue; // the pattern starts with black
            }
            let lens = [
                runs[i].1,
                runs[i + 1].1,
                runs[i + 2].1,
                runs[i + 3].1,
                runs[i + 4].1,
            ];
            if let Some(module) = finder_ratio(lens) {
                let centre = runs[i + 2].0 as f32 + runs[i + 2].1 as f32 / 2.0;
                let y32 = y as u32;
                match open.iter_mut().find(|c| {
                    (c.centre_x - centre).abs() < c.module.max(1.0) * 1.5 && y32 - c.last_row <= 2
                }) {
                    Some(c) => {
                        c.last_row = y32;
                        c.rows += 1;
                    }
                    None => open.push(Cluster {
                        centre_x: centre,
                        module,
                        last_row: y32,
                        rows: 1,
                    }),
                }
            }
        }
        // Close clusters that the scan has left behind.
        let y32 = y as u32;
        open.retain(|c| {
            let alive = y32 - c.last_row <= 2;
            if !alive && c.rows >= 3 {
                done += 1;
            }
            alive
        });
        if done >= cap {
            return cap;
        }
    }
    (done + open.iter().filter(|c| c.rows >= 3).count()).min(cap)
}

/// The module size when five run lengths are close to 1:1:3:1:1.
fn finder_ratio(lens: [usize; 5]) -> Option<f32> {
    let total: usize = lens.iter().sum();
    if total < 7 {
        return None;
    }
    let module = total as f32 / 7.0;
    let tolerance = module * 0.7;
    let ok = (lens[0] as f32 - module).abs() < tolerance
        && (lens[1] as f32 - module).abs() < tolerance
        && (lens[2] as f32 - 3.0 * module).abs() < tolerance * 2.0
        && (lens[3] as f32 - module).abs() < tolerance
        && (lens[4] as f32 - module).abs() < tolerance;
    ok.then_some(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws a 7×7-module finder pattern at (x, y) with the given module size.
    fn draw_finder(img: &mut GrayImage, x: u32, y: u32, m: u32) {
        for dy in 0..7 * m {
            for dx in 0..7 * m {
                let (mx, my) = (dx / m, dy / m);
                let ring = mx.min(my).min(6 - mx).min(6 - my);
                let black = ring != 1;
                img.put_pixel(x + dx, y + dy, image::Luma([if black { 0 } else { 255 }]));
            }
        }
    }

    #[test]
    fn counts_three_finders_of_a_code() {
        let mut img = GrayImage::from_pixel(200, 200, image::Luma([255]));
        draw_finder(&mut img, 10, 10, 4);
        draw_finder(&mut img, 150, 10, 4);
        draw_finder(&mut img, 10, 150, 4);
        assert_eq!(count_finder_like(&img, 100), 3);
    }

    #[test]
    fn blank_and_striped_images_have_none() {
        let blank = GrayImage::from_pixel(100, 100, image::Luma([255]));
        assert_eq!(count_finder_like(&blank, 100), 0);
        let stripes = GrayImage::from_fn(100, 100, |x, _| {
            image::Luma([if x % 4 < 2 { 0 } else { 255 }])
        });
        assert_eq!(count_finder_like(&stripes, 100), 0);
    }

    #[test]
    fn the_count_stops_at_the_cap() {
        let mut img = GrayImage::from_pixel(400, 400, image::Luma([255]));
        for i in 0..4 {
            for j in 0..4 {
                draw_finder(&mut img, 10 + i * 90, 10 + j * 90, 3);
            }
        }
        assert_eq!(count_finder_like(&img, 100), 16);
        assert_eq!(count_finder_like(&img, 5), 5);
    }
}
