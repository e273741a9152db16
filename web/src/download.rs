//! Saving files from the page: text as a Blob behind an object URL clicked through an
//! `<a download>`, the graph's SVG as a standalone file, and the same SVG drawn to a canvas as a
//! PNG. Nothing leaves the browser and nothing is fetched.
//!
//! Owns the browser plumbing only; what goes in the files is [`crate::core_api::export`]'s.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement};

/// Classes the page puts on graph nodes for its own use (a breakpoint, the inspected state):
/// not part of the drawing a file should keep.
const PAGE_ONLY: [&str; 3] = ["bp", "selected", "visited"];

/// The page's style for its own marks that a standalone file needs (the divergence of a
/// recorded execution), scoped like asl-graph's own rules (to the SVG's id).
fn extra_style(id: &str) -> String {
    format!(
        "#{id} .asl-node.diverged>.asl-shape{{stroke:#c026d3;stroke-width:4;stroke-dasharray:none}}\n"
    )
}

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<web_sys::js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A Blob of `text` with type `mime`.
fn text_blob(mime: &str, text: &str) -> Result<Blob, String> {
    let parts = web_sys::js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(js_err)
}

/// Saves `text` as a file named `name` of type `mime`.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    save_blob(name, &text_blob(mime, text)?)
}

/// Saves a Blob as a file named `name`, through an object URL (the page's CSP allows no other
/// origin, and an object URL is the page's own).
fn save_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(js_err)?;
    let r = click_link(name, &url);
    // The click has started the download; the URL can go once the event loop turns.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    r
}

fn click_link(name: &str, href: &str) -> Result<(), String> {
    let document = leptos::prelude::document();
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no anchor element".to_string())?;
    a.set_href(href);
    a.set_download(name);
    a.set_attribute("hidden", "").map_err(js_err)?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&a).map_err(js_err)?;
    a.click();
    a.remove();
    Ok(())
}

/// The graph as drawn now (the current step's colours included) as a standalone SVG file: a
/// copy of the page's SVG without the page's own marks, with the style of those it keeps.
pub fn graph_svg() -> Result<String, String> {
    let svg = leptos::prelude::document()
        .query_selector("[data-testid=\"graph\"] svg")
        .map_err(js_err)?
        .ok_or("no graph to export")?;
    let copy: Element = svg
        .clone_node_with_deep(true)
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not an element".to_string())?;
    if let Ok(nodes) = copy.query_selector_all(".asl-node") {
        for i in 0..nodes.length() {
            if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                for c in PAGE_ONLY {
                    let _ = el.class_list().remove_1(c);
                }
            }
        }
    }
    let id = copy.id();
    if let Some(style) = copy.query_selector("style").map_err(js_err)? {
        let text = style.text_content().unwrap_or_default();
        style.set_text_content(Some(&format!("{text}{}", extra_style(&id))));
    }
    let xml = web_sys::XmlSerializer::new()
        .map_err(js_err)?
        .serialize_to_string(&copy)
        .map_err(js_err)?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n"
    ))
}

/// Longest side of an exported PNG, px (a canvas has a size limit; a huge graph is scaled
/// down to fit).
const PNG_MAX_SIDE: f64 = 8000.0;

/// Draws an SVG file's text to a canvas at twice its size (sharp on high-density screens) and
/// saves it as a PNG.
pub async fn save_png(name: &str, svg: &str) -> Result<(), String> {
    let document = leptos::prelude::document();
    let img: web_sys::HtmlImageElement = document
        .create_element("img")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no image element".to_string())?;
    // An object URL, not a data: URL: the page's CSP allows images from itself and blob: only.
    let url = web_sys::Url::create_object_url_with_blob(&text_blob("image/svg+xml", svg)?)
        .map_err(js_err)?;
    img.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|e| format!("the SVG could not be drawn: {}", js_err(e)))?;
    let (w, h) = (img.natural_width() as f64, img.natural_height() as f64);
    if w <= 0.0 || h <= 0.0 {
        return Err("the graph has no size".into());
    }
    let scale = 2.0f64.min(PNG_MAX_SIDE / w.max(h));
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no canvas element".to_string())?;
    canvas.set_width((w * scale).round() as u32);
    canvas.set_height((h * scale).round() as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_err)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "no 2d context".to_string())?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w * scale, h * scale)
        .map_err(js_err)?;
    let png = canvas_png(&canvas).await?;
    save_blob(name, &png)
}

/// The canvas's pixels as a PNG Blob (`toBlob`, awaited).
async fn canvas_png(canvas: &web_sys::HtmlCanvasElement) -> Result<Blob, String> {
    let canvas = canvas.clone();
    let promise = web_sys::js_sys::Promise::new(&mut |resolve, _reject| {
        let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type(done.unchecked_ref(), "image/png");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(js_err)?
        .dyn_into::<Blob>()
        .map_err(|_| "the canvas could not be encoded as PNG".to_string())
}
