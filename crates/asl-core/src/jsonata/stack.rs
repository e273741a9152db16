//! How much stack a parse or an evaluation has used, measured rather than estimated.
//!
//! Owns [`StackGuard`]: the address of a local when the work began, compared with the address of
//! a local now. Depth limits alone (the parser's nesting, [`super::EvalEnv::max_depth`]) count
//! frames whose size depends on the build: a debug build uses several times the stack of a
//! release one per level, and overflowed a 2 MiB test thread well inside the depth limits. The
//! byte budget holds whatever the frame sizes are. In wasm32 the same addresses are on the shadow
//! stack in linear memory, which is what overflows there (the engine's own call stack is bounded
//! by the depth limits).
//!
//! Not owned here: what happens when the budget is spent (the callers raise `U1001`/`S0201`).

/// Bytes of stack one parse or evaluation may use: natively, inside a 2 MiB test thread with
/// room for the caller (a debug-built executor); in wasm32, inside the 1 MiB stack Rust gives
/// it. Release builds reach the depth limits first (about 1.3 KB per nested evaluation natively),
/// so the budget only bites in builds with bigger frames.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const STACK_BUDGET: usize = 1536 * 1024;
#[cfg(target_arch = "wasm32")]
pub(crate) const STACK_BUDGET: usize = 896 * 1024;

/// Where the stack was when the guarded work began.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StackGuard {
    base: usize,
}

/// The address of a local of the calling frame (stacks grow down on every target we build for;
/// the distance is taken either way).
#[inline(always)]
fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl StackGuard {
    #[inline(always)]
    pub fn new() -> StackGuard {
        StackGuard { base: here() }
    }

    /// Whether the work has used more than [`STACK_BUDGET`] bytes since [`StackGuard::new`].
    #[inline(always)]
    pub fn spent(&self) -> bool {
        self.base.abs_diff(here()) > STACK_BUDGET
    }
}
