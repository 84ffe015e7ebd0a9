# The portable core on a 32-bit target: Cortex-M3 (ARMv7-M, Thumb-2) under QEMU's mps2-an385,
# built with Debian's gcc-arm-none-eabi and picolibc and the compiler flags of an Arduino-ESP32 2.x
# build (README.md, "A 32-bit target"). Included by Makefile.
#
#   make qemu         the core's doctest cases on the target, its size, its stack high-water marks
#   make qemu DOCTEST_ARGS="-sf=*codec* -s"   doctest's options, passed through semihosting
#   make deps-qemu    names the Debian packages that are missing

ARM_CXX  := arm-none-eabi-g++
ARM_CC   := arm-none-eabi-gcc
ARM_SIZE := arm-none-eabi-size
QEMU_ARM := qemu-system-arm
QBUILD   := $(BUILD)/qemu

# The machine: Cortex-M3 without FPU (the ESP32's integer width and endianness, no 64-bit registers).
ARM_CPU  := -mcpu=cortex-m3 -mthumb --specs=picolibc.specs
# Arduino-ESP32 2.x (platform.txt): -Os, sections for --gc-sections, -fstack-protector,
# -fstrict-volatile-bitfields, no jump tables, exceptions on, RTTI off; PlatformIO's gnu++17 as in
# platformio.ini. (-mlongcalls and -Wno-frame-address are Xtensa's and have no ARM equivalent.)
ESP_FLAGS := -Os -ffunction-sections -fdata-sections -freorder-blocks -Wwrite-strings -fstack-protector \
  -fstrict-volatile-bitfields -fno-jump-tables -fno-tree-switch-conversion
ESP_CXX  := -std=gnu++17 -fexceptions -fno-rtti -Wno-psabi
MBED_DIR := third_party/mbedtls
MBED_INC := -I$(MBED_DIR)/include -Iqemu -DMBEDTLS_CONFIG_FILE='"mbedtls_config.h"'
# doctest from doctest-dev, without the rest of the host's /usr/include.
QINC     := -isystem $(QBUILD)/include $(INC) -Itest $(MBED_INC)
QDOCTEST := -DDOCTEST_CONFIG_NO_POSIX_SIGNALS -DDOCTEST_CONFIG_NO_MULTITHREADING
# The board's memory: 4 MB SSRAM1 at 0 holds the code, 4 MB SSRAM2/3 at 0x20000000 data and stack.
QLD      := -Tpicolibcpp.ld --oslib=semihost --crt0=semihost -Wl,--gc-sections \
  -Wl,--defsym=__flash=0x0 -Wl,--defsym=__flash_size=0x400000 \
  -Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000
DOCTEST_ARGS ?=
comma := ,
empty :=
space := $(empty) $(empty)
QEMU_RUN := $(QEMU_ARM) -M mps2-an385 -nographic -monitor none -serial none -semihosting-config \
  'enable=on,target=native,arg=core-tests$(subst $(space),,$(patsubst %,$(comma)arg=%,$(DOCTEST_ARGS)))'

MBED_SRC := $(addprefix $(MBED_DIR)/library/,asn1parse.c asn1write.c bignum.c constant_time.c ecdsa.c ecp.c \
  ecp_curves.c hkdf.c md.c platform_util.c sha1.c sha256.c)
# Every core test that runs without the host's files and sockets (host_update_test uses both), and
# without threads: bare metal has none, so the network thread transport and its test stay out.
QCORE_SRC := $(filter-out src/core/network_thread_transport.cpp,$(CORE_SRC))
QTEST_SRC := $(filter-out test/main.cpp test/host_update_test.cpp test/network_thread_transport_test.cpp,$(TEST_SRC)) \
  qemu/main.cpp qemu/stack_test.cpp qemu/stack_probe.cpp qemu/ram_test.cpp
QCORE_OBJ := $(patsubst %.cpp,$(QBUILD)/%.o,$(QCORE_SRC))
QMBED_OBJ := $(patsubst %.c,$(QBUILD)/%.o,$(MBED_SRC))
QTEST_OBJ := $(patsubst %.cpp,$(QBUILD)/%.o,$(QTEST_SRC))

.PHONY: qemu deps-qemu

deps-qemu:
	@missing=""; \
	command -v $(ARM_CXX) >/dev/null 2>&1 || missing="$$missing gcc-arm-none-eabi"; \
	command -v $(QEMU_ARM) >/dev/null 2>&1 || missing="$$missing qemu-system-arm"; \
	[ -f /usr/lib/picolibc/arm-none-eabi/picolibc.specs ] || missing="$$missing picolibc-arm-none-eabi"; \
	echo '#include <string>' | $(ARM_CXX) $(ARM_CPU) -x c++ -E - >/dev/null 2>&1 || missing="$$missing libstdc++-arm-none-eabi-picolibc"; \
	[ -f /usr/include/doctest/doctest.h ] || missing="$$missing doctest-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "firmware: missing packages:$$missing" >&2; \
	  echo "firmware: install them with: apt-get install -y$$missing" >&2; exit 1; \
	fi

$(QBUILD)/include/doctest: | deps-qemu
	@mkdir -p $(QBUILD)/include
	ln -sfn /usr/include/doctest $@

$(QBUILD)/third_party/%.o: third_party/%.c qemu/mbedtls_config.h | deps-qemu
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CPU) $(ESP_FLAGS) -std=gnu99 $(MBED_INC) -c $< -o $@

# The core as the ESP32 would compile it.
$(QBUILD)/src/%.o: src/%.cpp $(CORE_HDR) | deps-qemu
	@mkdir -p $(dir $@)
	$(ARM_CXX) $(ARM_CPU) $(WARN) $(ESP_FLAGS) $(ESP_CXX) $(QINC) -c $< -o $@

# What measures the stack is compiled like the core, so that its own frames stay as small as the core's.
$(QBUILD)/qemu/stack_%.o: qemu/stack_%.cpp $(CORE_HDR) $(TEST_HDR) qemu/stack_probe.h | $(QBUILD)/include/doctest
	@mkdir -p $(dir $@)
	$(ARM_CXX) $(ARM_CPU) $(WARN) $(ESP_FLAGS) $(ESP_CXX) $(QDOCTEST) $(QINC) -c $< -o $@

# The test cases and doctest at -O0: they are not what ships, and -Os makes the build ~40% longer.
$(QBUILD)/%.o: %.cpp $(CORE_HDR) $(TEST_HDR) qemu/stack_probe.h | $(QBUILD)/include/doctest
	@mkdir -p $(dir $@)
	$(ARM_CXX) $(ARM_CPU) $(WARN) $(ESP_FLAGS) $(ESP_CXX) -O0 $(QDOCTEST) $(QINC) -c $< -o $@

# The core and mbed TLS as archives, so that the linker map tells what the image keeps of each.
$(QBUILD)/core.a: $(QCORE_OBJ)
	rm -f $@ && arm-none-eabi-ar rcs $@ $^

$(QBUILD)/mbedtls.a: $(QMBED_OBJ)
	rm -f $@ && arm-none-eabi-ar rcs $@ $^

$(QBUILD)/core-tests.elf: $(QTEST_OBJ) $(QBUILD)/core.a $(QBUILD)/mbedtls.a
	$(ARM_CXX) $(ARM_CPU) $(ESP_CXX) $(QTEST_OBJ) $(QBUILD)/core.a $(QBUILD)/mbedtls.a $(QLD) \
	  -Wl,-Map=$(QBUILD)/core-tests.map -o $@

qemu: $(QBUILD)/core-tests.elf
	@echo "core (src/core, $(words $(QCORE_SRC)) files, -Os for Cortex-M3):"
	@qemu/core-size.sh $(QBUILD)/core-tests.map core.a
	@echo "mbed TLS subset (on the ESP32, ESP-IDF's own):"
	@qemu/core-size.sh $(QBUILD)/core-tests.map mbedtls.a
	cd test && timeout 300 $(QEMU_RUN) -kernel ../$(QBUILD)/core-tests.elf
