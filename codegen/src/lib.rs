//! The generator pipeline of `mfkessai`, in Rust only.
//!
//! ```text
//! swagger.yaml ─parse─▶ Swagger 2.0 ─overlay─▶ Swagger 2.0 ─convert─▶ OpenAPI 3.0.3
//!              ─adjust─▶ progenitor 0.15 ─postpass─▶ prettyplease ─▶ generated/raw.rs
//! ```
//!
//! * [`overlay`]: applies `swagger.overlay.yaml` (OpenAPI Overlay 1.0), the
//!   SDK's knowledge beyond the vendor's file: required response properties,
//!   id types, one enum per concept, other names of a property.
//! * [`convert`]: a faithful Swagger 2.0 → OpenAPI 3.0.3 conversion
//!   (`generated/openapi.json`).
//! * [`adjust`]: what progenitor/typify need to produce a correct client.
//! * [`postpass`]: fixes on the generated syntax tree that no spec change can
//!   express (open enums, offsets on date-times, decimals, `null` arrays, …).
//! * [`lists`]: `raw::lists`, the filters and `ListOperation` impl of every
//!   list operation (an answer with `items` and `pagination`).
//! * [`validation`]: `raw::validation`, a `Validate` impl per request payload
//!   from the spec's `maxLength`/`minimum`/`maxItems`/… (read before
//!   [`adjust`] strips them) and the overlay's error codes.
//!
//! Used by `mfkessai`'s `build.rs` under the `codegen` feature, and by the
//! `mfkessai-codegen` binary behind `make generate`.

pub mod adjust;
pub mod convert;
mod decoders;
pub mod lists;
pub mod overlay;
pub mod postpass;
pub mod validation;

use sha2::{Digest, Sha256};

/// What can go wrong while generating.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is not valid YAML/JSON.
    #[error("cannot parse the spec: {0}")]
    Parse(String),
    /// The spec is valid YAML but not a Swagger 2.0 document we can convert.
    #[error("invalid Swagger 2.0 document: {0}")]
    Spec(String),
    /// progenitor refused the converted document.
    #[error("progenitor: {0}")]
    Progenitor(String),
    /// The overlay does not parse, or does not fit the spec any more.
    #[error("swagger.overlay.yaml: {0}")]
    Overlay(String),
    /// The generated code did not parse (a bug in the post-pass).
    #[error("generated code does not parse: {0}")]
    Syntax(String),
}

/// The products of one run of the pipeline.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The faithful OpenAPI 3.0.3 conversion, pretty-printed JSON.
    pub openapi_json: String,
    /// The formatted Rust bindings.
    pub rust: String,
    /// The `generated/swagger.sha256` file: the SHA-256 of the spec and of the
    /// overlay, in `sha256sum` format, recorded next to the bindings.
    pub spec_sha256: String,
}

/// SHA-256 of the spec bytes, lower-case hex: the drift check's key.
pub fn spec_hash(spec: &[u8]) -> String {
    Sha256::digest(spec)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses a Swagger 2.0 document written in YAML (or JSON, a subset of YAML).
pub fn parse_swagger(spec: &str) -> Result<serde_json::Value, Error> {
    serde_yaml_ng::from_str(spec).map_err(|e| Error::Parse(e.to_string()))
}

/// The names the two inputs have in the repository, as `hashes` writes them.
pub const SPEC_FILE: &str = "swagger.yaml";
/// See [`SPEC_FILE`].
pub const OVERLAY_FILE: &str = "swagger.overlay.yaml";

/// The content of `generated/swagger.sha256` for these inputs: one
/// `sha256sum` line per file, so `sha256sum -c` can check it too.
pub fn hashes(spec: &[u8], overlay: &[u8]) -> String {
    format!(
        "{}  {SPEC_FILE}\n{}  {OVERLAY_FILE}\n",
        spec_hash(spec),
        spec_hash(overlay)
    )
}

/// Runs the whole pipeline on the text of a Swagger 2.0 file and of the
/// overlay applied to it.
pub fn generate(spec: &str, overlay_text: &str) -> Result<Generated, Error> {
    let mut swagger = parse_swagger(spec)?;
    overlay::apply(&mut swagger, overlay_text)?;
    let openapi = convert::swagger2_to_openapi3(&swagger)?;
    let request_rules = validation::request_rules(&openapi)?;
    let adjusted = adjust::for_progenitor(&openapi);
    let ids = adjust::id_types(&adjusted);
    let aliases = adjust::aliases(&adjusted);
    let with_required = adjust::response_structs_with_required(&adjusted);
    let constructors = adjust::constructors(&adjusted);
    let operations = adjust::operations(&adjusted);
    let list_ops = lists::list_operations(&adjusted);
    let typed: openapiv3::OpenAPI = serde_json::from_value(adjusted)
        .map_err(|e| Error::Spec(format!("the converted document is not OpenAPI 3: {e}")))?;

    let mut options = postpass::Options::mfkessai();
    let mut fixtures = progenitor_impl::TypePatch::default();
    fixtures.with_derive("Default");
    options.aliases = aliases;
    options.constructors = constructors;
    options.operations = operations;
    let mut settings = progenitor_impl::GenerationSettings::default();
    // Ids are hand-written newtypes (`crate::ids`); typify refers to them
    // instead of generating a type per id schema.
    // Response objects with required properties still derive `Default`, so
    // tests and the fake can build one with `..Default::default()`. Decoding
    // never uses it: a required property missing from an answer is an error.
    for name in &with_required {
        settings.with_patch(name, &fixtures);
    }
    for name in &ids {
        settings.with_replacement(
            name,
            format!("{}::{name}", options.ids_module),
            [
                progenitor_impl::TypeImpl::Display,
                progenitor_impl::TypeImpl::FromStr,
            ]
            .into_iter(),
        );
    }
    settings
        .with_interface(progenitor_impl::InterfaceStyle::Builder)
        .with_tag(progenitor_impl::TagStyle::Merged)
        .with_derive("PartialEq")
        // The crate implements `ClientHooks` itself (its `exec` caps response
        // bodies); `Expected` makes progenitor check that impl exists instead
        // of emitting an empty default that would silently win.
        .with_hooks(progenitor_impl::HooksMode::Expected)
        .with_inner_type(rust_path(&options.inner_type)?)
        .with_pre_hook(rust_path(&options.pre_hook)?);
    let mut generator = progenitor_impl::Generator::new(&settings);
    // progenitor reports some unsupported shapes by panicking; turn that into
    // an error that names the problem instead of a build-script backtrace.
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&typed)
    }))
    .map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into());
        Error::Progenitor(format!("generator panicked: {msg}"))
    })?
    .map_err(|e| Error::Progenitor(e.to_string()))?;

    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Syntax(e.to_string()))?;
    let mut file = postpass::apply(file, &options);
    lists::apply(
        &mut file,
        &list_ops,
        &rust_path_syn(LISTS_PAGINATION_MODULE)?,
        &rust_path_syn(&options.support_module)?,
    );
    validation::apply(
        &mut file,
        &request_rules,
        &rust_path_syn(VALIDATE_MODULE)?,
        &rust_path_syn(ERROR_CODE_TYPE)?,
    );
    let rust = format!("{}{}", HEADER, prettyplease::unparse(&file));

    let mut openapi_json =
        serde_json::to_string_pretty(&openapi).map_err(|e| Error::Spec(e.to_string()))?;
    openapi_json.push('\n');
    Ok(Generated {
        openapi_json,
        rust,
        spec_sha256: hashes(spec.as_bytes(), overlay_text.as_bytes()),
    })
}

/// Where `ListOperation` and the page types live (see [`lists`]).
const LISTS_PAGINATION_MODULE: &str = "crate::pagination";

/// Where `Validate` and the check helpers live (see [`validation`]).
const VALIDATE_MODULE: &str = "crate::validate";
/// The error codes the generated checks answer with.
const ERROR_CODE_TYPE: &str = "crate::ErrorCode";

fn rust_path_syn(path: &str) -> Result<syn::Path, Error> {
    syn::parse_str(path).map_err(|e| Error::Syntax(format!("`{path}` is not a Rust path: {e}")))
}

fn rust_path(path: &str) -> Result<proc_macro2::TokenStream, Error> {
    path.parse()
        .map_err(|e| Error::Syntax(format!("`{path}` is not a Rust path: {e}")))
}

const HEADER: &str = "\
// @generated by mfkessai-codegen from swagger.yaml. Do not edit by hand:
// change the spec or the generator and run `make generate`.
";
