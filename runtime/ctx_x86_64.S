/*
 * ctx_x86_64.S - coroutine context switch for x86-64, System V ABI.
 *
 * A suspended context is one pointer: its stack pointer.  Below it lie the
 * callee-saved registers the ABI requires a call to preserve (rbp, rbx,
 * r12-r15), the MXCSR control bits and the x87 control word, and above them
 * the return address the switch resumes at.  Everything else is
 * caller-saved, so a switch that looks like an ordinary call to the
 * compiler needs nothing more.
 *
 * Frame (offsets from the saved stack pointer):
 *    0: MXCSR (4 bytes), 4: x87 control word (2 bytes), padding
 *    8: r15  16: r14  24: r13  32: r12  40: rbx  48: rbp  56: return address
 *
 * Every context suspended in rt_ctx_switch has this same layout, so the CFI
 * written for the frame stays true after the stack pointer moves to the
 * other stack.  A new context starts in rt_ctx_entry, whose CFI marks the
 * return address undefined: debuggers and unwinders stop there.
 */
    .text

/* void rt_ctx_switch(void **save, void *to)
 * Save the running context into *save and resume the one at `to`. */
    .globl rt_ctx_switch
    .hidden rt_ctx_switch
    .type rt_ctx_switch, @function
    .p2align 4
rt_ctx_switch:
    .cfi_startproc
    pushq %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    pushq %rbx
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbx, 0
    pushq %r12
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r12, 0
    pushq %r13
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r13, 0
    pushq %r14
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r14, 0
    pushq %r15
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r15, 0
    subq $8, %rsp
    .cfi_adjust_cfa_offset 8
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq %r15
    .cfi_adjust_cfa_offset -8
    .cfi_restore %r15
    popq %r14
    .cfi_adjust_cfa_offset -8
    .cfi_restore %r14
    popq %r13
    .cfi_adjust_cfa_offset -8
    .cfi_restore %r13
    popq %r12
    .cfi_adjust_cfa_offset -8
    .cfi_restore %r12
    popq %rbx
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbx
    popq %rbp
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbp
    ret
    .cfi_endproc
    .size rt_ctx_switch, .-rt_ctx_switch

/* First code of every context: call fn(arg), both left in callee-saved
 * registers by rt_ctx_make.  fn never returns.  Entered by `ret` with a
 * 16-byte aligned stack, so the call below keeps the ABI's alignment. */
    .type rt_ctx_entry, @function
    .p2align 4
rt_ctx_entry:
    .cfi_startproc
    .cfi_undefined %rip
    movq %r13, %rdi
    callq *%r12
    ud2
    .cfi_endproc
    .size rt_ctx_entry, .-rt_ctx_entry

/* void *rt_ctx_make(void *lo, void *top, void (*fn)(void *), void *arg)
 * Build a context on the stack [lo, top) that starts by calling fn(arg);
 * return it.  The new context inherits the caller's MXCSR and x87 control
 * word, as a new thread inherits its creator's floating-point environment. */
    .globl rt_ctx_make
    .hidden rt_ctx_make
    .type rt_ctx_make, @function
    .p2align 4
rt_ctx_make:
    .cfi_startproc
    movq %rsi, %rax
    andq $-16, %rax
    leaq rt_ctx_entry(%rip), %r8
    movq %r8, -8(%rax)
    movq $0, -16(%rax)
    movq $0, -24(%rax)
    movq %rdx, -32(%rax)
    movq %rcx, -40(%rax)
    movq $0, -48(%rax)
    movq $0, -56(%rax)
    movq $0, -64(%rax)
    stmxcsr -64(%rax)
    fnstcw -60(%rax)
    subq $64, %rax
    ret
    .cfi_endproc
    .size rt_ctx_make, .-rt_ctx_make

/* void rt_ctx_walk(void *ctx, void (*fn)(void *), void *arg)
 * Call fn(arg) on the caller's own stack, with unwind information that
 * makes fn's caller look like the suspended context ctx (as rt_ctx_switch
 * left it, the layout above): an unwinder started inside fn walks ctx's
 * frames, as a debugger would after switching to it.  Nothing is written
 * to ctx's stack; it must stay suspended until fn returns (traceback.c). */
    .globl rt_ctx_walk
    .hidden rt_ctx_walk
    .type rt_ctx_walk, @function
    .p2align 4
rt_ctx_walk:
    .cfi_startproc
    pushq %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    /* While fn runs, rbp holds ctx: CFA = ctx + 64, and the registers are
     * where rt_ctx_switch saved them (plain rules: valgrind, like every
     * unwinder, reads them) */
    movq %rdi, %rbp
    .cfi_remember_state
    .cfi_def_cfa %rbp, 64
    .cfi_offset 16, -8
    .cfi_offset %rbp, -16
    .cfi_offset %rbx, -24
    .cfi_offset %r12, -32
    .cfi_offset %r13, -40
    .cfi_offset %r14, -48
    .cfi_offset %r15, -56
    movq %rdx, %rdi
    callq *%rsi
    .cfi_restore_state
    popq %rbp
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbp
    ret
    .cfi_endproc
    .size rt_ctx_walk, .-rt_ctx_walk

    .section .note.GNU-stack, "", @progbits
