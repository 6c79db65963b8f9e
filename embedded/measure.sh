#!/usr/bin/env bash
# Builds the sine firmware (src/bin/sine_*.rs) and the BasicMotions firmware (src/bin/motion_*.rs)
# for a Cortex-M0 and a Cortex-M4F, runs each under QEMU, and prints the two side-by-side tables of
# BENCHMARKS.md ("Integer nets on microcontrollers"):
#
#     embedded/measure.sh                # needs qemu-system-arm, llvm-size, llvm-objdump, python3
#     embedded/measure.sh --float-check  # only the float check below (no QEMU), as .ci/run does
#
# Boards: `microbit` (nRF51822, Cortex-M0, thumbv6m-none-eabi) and `netduinoplus2` (STM32F405,
# Cortex-M4F, thumbv7em-none-eabihf). Instructions per inference: QEMU's `-icount shift=0` (one
# instruction = 1 ns of virtual time) read by SysTick, calibrated by a loop of known length, over the
# 1,000-point grid, less the same loop with an identity in place of the inference (src/measure.rs).
# Flash: .text + .rodata of the ELF; RAM: .data + .bss, plus the peak stack of one inference, found
# by painting. Error: against sin x on the grid x_k = 2 pi k / 1000, computed on the device.
# BasicMotions: the same, over the test recordings the firmware carries (src/motion_net.rs), each
# prepared (copied into RAM, or quantised) outside the instructions counted; the peak stack holds
# the prepared input; on the device, the recordings classified as labelled, and those whose
# outputs are the host's bit for bit.
# The anomaly-detection autoencoder (src/bin/ad_*.rs, feature `ad`): MLPerf Tiny's ad01_int8.tflite
# as our int8 net (src/ad_net.rs) and as microflow compiles the same file, on the Cortex-M4F only
# (its 265,864 weights do not fit the Cortex-M0's 256 KiB of flash), over the 4 frames the
# firmware carries (2 normal, 2 anomalous, from examples/anomaly.rs); on the device, the frames
# whose 640 output codes are the host's (our net's, by backprop_core on the host) bit for bit,
# the codes that differ and the largest difference (microflow's `f32` output turned back into
# codes by the file's output quantisation, outside the instructions counted).
# It also checks that the integer inference functions (FLOAT_FREE below) reach no float instruction
# and no soft-float routine on the Cortex-M0, following every call from them in the disassembly.
set -euo pipefail
cd "$(dirname "$0")"

FORMS=(none f32 fixed int8 microflow)
MOTION_FORMS=(none f32 int8)
AD_FORMS=(none int8 microflow)
BOARDS=("thumbv6m-none-eabi microbit Cortex-M0" "thumbv7em-none-eabihf netduinoplus2 Cortex-M4F")
# The functions whose whole call tree must be free of floats on the Cortex-M0.
FLOAT_FREE=(sine_int8:sine_int8_codes sine_fixed:sine_fixed_q16 motion_int8:motion_int8_codes)

# No float on the Cortex-M0 in the integer inference: every function reachable by `bl`/`b` from
# each of FLOAT_FREE, with no VFP instruction (there is no FPU) and no soft-float routine.
float_check() {
    for function in "${FLOAT_FREE[@]}"; do
        llvm-objdump -d --no-show-raw-insn "target/thumbv6m-none-eabi/release/${function%%:*}" |
            python3 -c "$FLOAT_CHECK" "${function##*:}"
    done
}

FLOAT_CHECK='
import re, sys
root = sys.argv[1]
# A mapping symbol ($d before a literal pool, $t where code resumes after one) does not end a
# function: the code after it belongs to the same function, and the pool is data.
mapping = re.compile(r"\$[adt](\..*)?")
bodies, name, data = {}, None, False
for line in sys.stdin:
    header = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
    if header and mapping.fullmatch(header.group(1)):
        data = header.group(1).startswith("$d")
    elif header:
        name, data = header.group(1), False; bodies[name] = []
    elif name and line.strip() and not data:
        bodies[name].append(line)
soft_float = re.compile(r"__aeabi_([fd]|[iu]l?2[fd])|[sd]f[23]$|fixs?f|fixuns[sd]f|float(un)?[sd]i[sd]f|__(add|sub|mul|div)[sd]f3")
seen, todo = set(), [root]
while todo:
    function = todo.pop()
    if function in seen: continue
    seen.add(function)
    assert function in bodies, f"{function} not in the disassembly"
    assert not soft_float.search(function), f"{root} reaches the soft-float routine {function}"
    for line in bodies[function]:
        assert not re.search(r"\tv[a-z]+", line), f"{root}: float instruction in {function}: {line}"
        # Every branch that names its target (b, bl, b.w, bne and the like): calls and tail calls.
        call = re.search(r"\tb[a-z]*(\.[nw])?\s+0x[0-9a-f]+ <([^+>]+)(\+0x[0-9a-f]+)?>", line)
        if call and not mapping.fullmatch(call.group(2)): todo.append(call.group(2))
print(f"{root}: {len(seen)} functions reached, no float instruction, no soft-float call")
'

if [[ ${1:-} == --float-check ]]; then
    cargo build --quiet --release --target thumbv6m-none-eabi \
        $(printf -- '--bin %s ' "${FLOAT_FREE[@]%%:*}")
    float_check
    exit
fi

for board in "${BOARDS[@]}"; do
    read -r target _ _ <<<"$board"
    cargo build --quiet --release --features microflow --target "$target" \
        $(printf -- '--bin sine_%s ' "${FORMS[@]}") $(printf -- '--bin motion_%s ' "${MOTION_FORMS[@]}")
done
cargo build --quiet --release --features microflow,ad --target thumbv7em-none-eabihf \
    $(printf -- '--bin ad_%s ' "${AD_FORMS[@]}")

run() { # target machine firmware -> the firmware's name=value lines
    timeout 300 qemu-system-arm -M "$2" -nographic -monitor none -serial none \
        -semihosting-config enable=on,target=native -icount shift=0 \
        -kernel "target/$1/release/$3"
}

section_sizes() { # elf -> "text rodata data bss"
    llvm-size -A "$1" | awk '$1==".text"{t=$2} $1==".rodata"{r=$2} $1==".data"{d=$2} $1==".bss"{b=$2}
        END{print t+0, r+0, d+0, b+0}'
}

echo "| board | form | instructions per inference | flash .text+.rodata (over the harness) | RAM .data+.bss + peak stack | largest error vs sin x | mean squared error |"
echo "|---|---|---:|---:|---:|---:|---:|"
for board in "${BOARDS[@]}"; do
    read -r target machine core <<<"$board"
    read -r base_text base_rodata _ _ < <(section_sizes "target/$target/release/sine_none")
    for form in "${FORMS[@]}"; do
        [[ $form == none ]] && continue
        output=$(run "$target" "$machine" "sine_$form")
        value() { sed -n "s/^$1=//p" <<<"$output"; }
        read -r text rodata data bss < <(section_sizes "target/$target/release/sine_$form")
        python3 - "$core" "$(value form)" "$text" "$rodata" "$data" "$bss" "$base_text" "$base_rodata" \
            "$(value calibration_instructions)" "$(value calibration_ticks)" "$(value loop_ticks)" \
            "$(value inference_ticks)" "$(value inferences)" "$(value stack_bytes)" \
            "$(value max_error_e6)" "$(value mean_squared_error_e9)" <<'PY'
import sys
(core, form, text, rodata, data, bss, base_text, base_rodata, cal_insns, cal_ticks, loop_ticks,
 ticks, inferences, stack, max_error, mse) = sys.argv[1:3] + [int(v) for v in sys.argv[3:]]
per_inference = (ticks - loop_ticks) * cal_insns / cal_ticks / inferences
flash = text + rodata
print(f"| {core} | {form} | {per_inference:,.0f} | {flash:,} ({flash - base_text - base_rodata:+,}) "
      f"| {data + bss:,} + {stack:,} | {max_error / 1e6:.4f} | {mse / 1e9:.2e} |")
PY
    done
done

echo
echo "| board | form | instructions per inference | preparing the input (not counted) | flash .text+.rodata (over the harness) | RAM .data+.bss + peak stack | test recordings classified as labelled | outputs bit for bit the host's |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for board in "${BOARDS[@]}"; do
    read -r target machine core <<<"$board"
    read -r base_text base_rodata _ _ < <(section_sizes "target/$target/release/motion_none")
    for form in "${MOTION_FORMS[@]}"; do
        [[ $form == none ]] && continue
        output=$(run "$target" "$machine" "motion_$form")
        value() { sed -n "s/^$1=//p" <<<"$output"; }
        read -r text rodata data bss < <(section_sizes "target/$target/release/motion_$form")
        python3 - "$core" "$(value form)" "$text" "$rodata" "$data" "$bss" "$base_text" "$base_rodata" \
            "$(value calibration_instructions)" "$(value calibration_ticks)" "$(value loop_ticks)" \
            "$(value inference_ticks)" "$(value inferences)" "$(value stack_bytes)" \
            "$(value correct)" "$(value same_bits_as_host)" <<'PY'
import sys
(core, form, text, rodata, data, bss, base_text, base_rodata, cal_insns, cal_ticks, loop_ticks,
 ticks, inferences, stack, correct, same_bits) = sys.argv[1:3] + [int(v) for v in sys.argv[3:]]
per_inference = (ticks - loop_ticks) * cal_insns / cal_ticks / inferences
# The loop around the inference: each recording prepared (copied or quantised), then a call.
preparing = loop_ticks * cal_insns / cal_ticks / inferences
flash = text + rodata
print(f"| {core} | {form} | {per_inference:,.0f} | {preparing:,.0f} "
      f"| {flash:,} ({flash - base_text - base_rodata:+,}) "
      f"| {data + bss:,} + {stack:,} | {correct} of {inferences} | {same_bits} of {inferences} |")
PY
    done
done

echo
echo "| board | form | instructions per inference | preparing the input (not counted) | flash .text+.rodata (over the harness) | RAM .data+.bss + peak stack | frames with the host's output codes bit for bit | output codes differing from the host's | largest difference (codes) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
target=thumbv7em-none-eabihf
read -r base_text base_rodata _ _ < <(section_sizes "target/$target/release/ad_none")
for form in "${AD_FORMS[@]}"; do
    [[ $form == none ]] && continue
    output=$(run "$target" netduinoplus2 "ad_$form")
    value() { sed -n "s/^$1=//p" <<<"$output"; }
    read -r text rodata data bss < <(section_sizes "target/$target/release/ad_$form")
    python3 - Cortex-M4F "$(value form)" "$text" "$rodata" "$data" "$bss" "$base_text" "$base_rodata" \
        "$(value calibration_instructions)" "$(value calibration_ticks)" "$(value loop_ticks)" \
        "$(value inference_ticks)" "$(value inferences)" "$(value stack_bytes)" \
        "$(value same_bits_as_host)" "$(value codes_differing)" "$(value largest_code_difference)" <<'PY'
import sys
(core, form, text, rodata, data, bss, base_text, base_rodata, cal_insns, cal_ticks, loop_ticks,
 ticks, inferences, stack, same_bits, differing, largest) = sys.argv[1:3] + [int(v) for v in sys.argv[3:]]
per_inference = (ticks - loop_ticks) * cal_insns / cal_ticks / inferences
preparing = loop_ticks * cal_insns / cal_ticks / inferences
flash = text + rodata
print(f"| {core} | {form} | {per_inference:,.0f} | {preparing:,.0f} "
      f"| {flash:,} ({flash - base_text - base_rodata:+,}) "
      f"| {data + bss:,} + {stack:,} | {same_bits} of {inferences} "
      f"| {differing:,} of {640 * inferences:,} | {largest} |")
PY
done

float_check
