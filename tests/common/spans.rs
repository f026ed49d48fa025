//! A tracing layer that keeps every closed span with its fields, for tests
//! that check what the SDK traces.
//!
//! Installed as the process-wide default, once per test binary and before
//! any span is created: tracing caches each callsite's interest
//! process-wide, so a thread-local subscriber could miss spans.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, OnceLock},
};

use tracing::{
    field::{Field, Visit},
    span,
};
use tracing_subscriber::{layer::Context, prelude::*, registry::LookupSpan, Layer};

/// A closed span: its name and every field recorded on it, as text.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub name: String,
    pub fields: BTreeMap<String, String>,
}

impl Captured {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }
}

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
}

struct Capture(Arc<Mutex<Vec<Captured>>>);

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields(BTreeMap::new());
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Captured {
                name: attrs.metadata().name().to_string(),
                fields: fields.0,
            });
        }
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut ext = span.extensions_mut();
        if let Some(captured) = ext.get_mut::<Captured>() {
            let mut fields = Fields(std::mem::take(&mut captured.fields));
            values.record(&mut fields);
            captured.fields = fields.0;
        }
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let captured = span.extensions_mut().remove::<Captured>();
        if let Some(captured) = captured {
            self.0.lock().unwrap().push(captured);
        }
    }
}

/// The spans closed so far (installing the layer on first use).
pub fn captured() -> &'static Arc<Mutex<Vec<Captured>>> {
    static SPANS: OnceLock<Arc<Mutex<Vec<Captured>>>> = OnceLock::new();
    SPANS.get_or_init(|| {
        let spans = Arc::new(Mutex::new(Vec::new()));
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(Capture(spans.clone())),
        )
        .expect("no other global subscriber in this test binary");
        spans
    })
}

/// Takes the `mfkessai.request` spans closed since the last call.
pub fn take_requests() -> Vec<Captured> {
    let mut spans = captured().lock().unwrap();
    std::mem::take(&mut *spans)
        .into_iter()
        .filter(|s| s.name == "mfkessai.request")
        .collect()
}
