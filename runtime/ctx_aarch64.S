/*
 * ctx_aarch64.S - coroutine context switch for AArch64 (AAPCS64).
 *
 * A suspended context is one pointer: its stack pointer.  Below it lie the
 * registers AAPCS64 requires a call to preserve: x19-x28, the frame pointer
 * x29, the link register x30 (where the switch resumes), the low 64 bits of
 * v8-v15 (d8-d15) and FPCR (rounding mode and flush-to-zero, which the
 * procedure call standard treats as preserved state).
 *
 * Frame (offsets from the saved stack pointer, 176 bytes, 16-byte aligned):
 *    0: x19 x20   16: x21 x22   32: x23 x24   48: x25 x26   64: x27 x28
 *   80: x29 x30   96: d8 d9    112: d10 d11  128: d12 d13  144: d14 d15
 *  160: fpcr     168: padding
 *
 * Every suspended context has this layout, so the CFI stays true once sp
 * moves to the other stack.  rt_ctx_entry marks x30 undefined so that
 * unwinders and debuggers stop at a coroutine's first frame.
 */
    .text

/* void rt_ctx_switch(void **save, void *to) */
    .globl rt_ctx_switch
    .hidden rt_ctx_switch
    .type rt_ctx_switch, %function
    .p2align 4
rt_ctx_switch:
    .cfi_startproc
    sub sp, sp, #176
    .cfi_def_cfa_offset 176
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    .cfi_offset x19, -176
    .cfi_offset x20, -168
    .cfi_offset x21, -160
    .cfi_offset x22, -152
    .cfi_offset x23, -144
    .cfi_offset x24, -136
    .cfi_offset x25, -128
    .cfi_offset x26, -120
    .cfi_offset x27, -112
    .cfi_offset x28, -104
    .cfi_offset x29, -96
    .cfi_offset x30, -88
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    .cfi_offset d8, -80
    .cfi_offset d9, -72
    .cfi_offset d10, -64
    .cfi_offset d11, -56
    .cfi_offset d12, -48
    .cfi_offset d13, -40
    .cfi_offset d14, -32
    .cfi_offset d15, -24
    mrs x9, fpcr
    str x9, [sp, #160]
    mov x10, sp
    str x10, [x0]
    mov sp, x1
    ldr x9, [sp, #160]
    msr fpcr, x9
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #176
    .cfi_def_cfa_offset 0
    .cfi_restore x19
    .cfi_restore x20
    .cfi_restore x21
    .cfi_restore x22
    .cfi_restore x23
    .cfi_restore x24
    .cfi_restore x25
    .cfi_restore x26
    .cfi_restore x27
    .cfi_restore x28
    .cfi_restore x29
    .cfi_restore x30
    .cfi_restore d8
    .cfi_restore d9
    .cfi_restore d10
    .cfi_restore d11
    .cfi_restore d12
    .cfi_restore d13
    .cfi_restore d14
    .cfi_restore d15
    ret
    .cfi_endproc
    .size rt_ctx_switch, .-rt_ctx_switch

/* First code of every context: fn(arg), left in x19 and x20 by
 * rt_ctx_make.  fn never returns. */
    .type rt_ctx_entry, %function
    .p2align 4
rt_ctx_entry:
    .cfi_startproc
    .cfi_undefined x30
    mov x0, x20
    blr x19
    brk #0
    .cfi_endproc
    .size rt_ctx_entry, .-rt_ctx_entry

/* void *rt_ctx_make(void *lo, void *top, void (*fn)(void *), void *arg)
 * Build a context on [lo, top) that starts by calling fn(arg).  It inherits
 * the caller's FPCR. */
    .globl rt_ctx_make
    .hidden rt_ctx_make
    .type rt_ctx_make, %function
    .p2align 4
rt_ctx_make:
    .cfi_startproc
    and x1, x1, #~15
    sub x0, x1, #176
    stp x2, x3, [x0, #0]
    stp xzr, xzr, [x0, #16]
    stp xzr, xzr, [x0, #32]
    stp xzr, xzr, [x0, #48]
    stp xzr, xzr, [x0, #64]
    adrp x9, rt_ctx_entry
    add x9, x9, :lo12:rt_ctx_entry
    stp xzr, x9, [x0, #80]
    stp xzr, xzr, [x0, #96]
    stp xzr, xzr, [x0, #112]
    stp xzr, xzr, [x0, #128]
    stp xzr, xzr, [x0, #144]
    mrs x9, fpcr
    stp x9, xzr, [x0, #160]
    ret
    .cfi_endproc
    .size rt_ctx_make, .-rt_ctx_make

    .section .note.GNU-stack, "", %progbits
