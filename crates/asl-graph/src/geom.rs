//! Plain geometry: points, rectangles and cubic Bézier paths, in SVG user units (y grows down).
//!
//! Owns only arithmetic; it is our own so the rest of the crate (and the SVG writer) does not depend
//! on layout-rs types, which keeps the layout engine replaceable.

/// A point.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Point {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
}

impl Point {
    /// A point at (x, y).
    pub const fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
    /// `self + o`.
    pub fn plus(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
    /// `self - o`.
    pub fn minus(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
    /// `self × s`.
    pub fn scale(self, s: f64) -> Point {
        Point::new(self.x * s, self.y * s)
    }
    /// Euclidean length.
    pub fn len(self) -> f64 {
        self.x.hypot(self.y)
    }
    /// True if both coordinates are finite.
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// An axis-aligned rectangle by its top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A rectangle from its top-left corner and size.
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }
    /// A rectangle of size (w, h) centred on `c`.
    pub fn centered(c: Point, w: f64, h: f64) -> Rect {
        Rect::new(c.x - w / 2.0, c.y - h / 2.0, w, h)
    }
    /// The centre.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// The same rectangle moved by `d`.
    pub fn shift(&self, d: Point) -> Rect {
        Rect::new(self.x + d.x, self.y + d.y, self.w, self.h)
    }
    /// True if the interiors intersect (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// True if `o` lies entirely inside `self`.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }
    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect::new(
            x,
            y,
            self.right().max(o.right()) - x,
            self.bottom().max(o.bottom()) - y,
        )
    }
}

/// A cubic Bézier segment: start, two control points, end.
pub type Cubic = [Point; 4];

/// The point at `t` (0..=1) on a cubic.
pub fn point_at(c: &Cubic, t: f64) -> Point {
    let u = 1.0 - t;
    c[0].scale(u * u * u)
        .plus(c[1].scale(3.0 * u * u * t))
        .plus(c[2].scale(3.0 * u * t * t))
        .plus(c[3].scale(t * t * t))
}

/// The bounding box of a cubic's control points (which holds the curve).
pub fn hull(c: &Cubic) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (c[0].x, c[0].y, c[0].x, c[0].y);
    for p in &c[1..] {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// True if the cubic (sampled at `steps` + 1 points) enters `r` shrunk by a pixel; no allocation.
pub fn cubic_enters_rect(c: &Cubic, steps: usize, r: &Rect) -> bool {
    let h = hull(c);
    if r.x >= h.right() || h.x >= r.right() || r.y >= h.bottom() || h.y >= r.bottom() {
        return false;
    }
    let steps = steps.max(1);
    let mut prev = c[0];
    (1..=steps).any(|k| {
        let p = point_at(c, k as f64 / steps as f64);
        let hit = segment_enters_rect(prev, p, r);
        prev = p;
        hit
    })
}

/// Points along a path of cubic segments, `steps` per segment, for crossing tests and bounds.
pub fn flatten(path: &[Cubic], steps: usize) -> Vec<Point> {
    let mut out = Vec::with_capacity(path.len() * steps + 1);
    for (i, c) in path.iter().enumerate() {
        let first = if i == 0 { 0 } else { 1 };
        for k in first..=steps {
            let t = k as f64 / steps as f64;
            let u = 1.0 - t;
            let p = c[0]
                .scale(u * u * u)
                .plus(c[1].scale(3.0 * u * u * t))
                .plus(c[2].scale(3.0 * u * t * t))
                .plus(c[3].scale(t * t * t));
            out.push(p);
        }
    }
    out
}

/// True if segments ab and cd cross. A zero orientation counts as the negative side (the
/// half-open rule of crossing-number tests), so two polylines crossing exactly at shared sample
/// points count once, not zero or twice.
pub fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    fn orient(p: Point, q: Point, r: Point) -> f64 {
        (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
    }
    let d1 = orient(c, d, a);
    let d2 = orient(c, d, b);
    let d3 = orient(a, b, c);
    let d4 = orient(a, b, d);
    (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0)
}

/// True if segment ab has a point strictly inside `r` shrunk by one pixel (so a segment that
/// only grazes a box does not count).
pub fn segment_enters_rect(a: Point, b: Point, r: &Rect) -> bool {
    let r = Rect::new(r.x + 1.0, r.y + 1.0, r.w - 2.0, r.h - 2.0);
    if r.w <= 0.0 || r.h <= 0.0 {
        return false;
    }
    // Liang–Barsky clipping: the part of the segment inside the slab of each axis.
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    let d = b.minus(a);
    for (p, q) in [
        (-d.x, a.x - r.x),
        (d.x, r.right() - a.x),
        (-d.y, a.y - r.y),
        (d.y, r.bottom() - a.y),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rect_overlap_excludes_touching() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.overlaps(&Rect::new(5.0, 5.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 10.0, 10.0)));
        assert!(a.contains(&Rect::new(1.0, 1.0, 2.0, 2.0)));
    }

    #[test]
    fn crossing_segments() {
        let p = Point::new;
        assert!(segments_cross(
            p(0.0, 0.0),
            p(10.0, 10.0),
            p(0.0, 10.0),
            p(10.0, 0.0)
        ));
        assert!(!segments_cross(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(0.0, 1.0),
            p(10.0, 1.0)
        ));
    }

    #[test]
    fn segments_entering_a_box() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let p = Point::new;
        assert!(segment_enters_rect(p(-5.0, 5.0), p(15.0, 5.0), &r));
        assert!(segment_enters_rect(p(5.0, 5.0), p(6.0, 6.0), &r));
        assert!(
            !segment_enters_rect(p(-5.0, 0.5), p(15.0, 0.5), &r),
            "grazing"
        );
        assert!(!segment_enters_rect(p(-5.0, 20.0), p(15.0, 12.0), &r));
        assert!(!segment_enters_rect(p(12.0, -5.0), p(12.0, 15.0), &r));
    }

    #[test]
    fn flatten_hits_both_ends() {
        let c = [
            Point::new(0.0, 0.0),
            Point::new(0.0, 5.0),
            Point::new(10.0, 5.0),
            Point::new(10.0, 10.0),
        ];
        let pts = flatten(&[c], 4);
        assert_eq!(pts.len(), 5);
        assert_eq!(pts[0], c[0]);
        assert_eq!(pts[4], c[3]);
    }
}
