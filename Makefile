# Thin wrappers: every target installs what it needs, configures and builds.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
, := ,
WIREFEED := $(BUILD_DIR)/worker/app/wirefeed
# Extra ctest arguments, e.g. make test CTEST_ARGS="-L unit"
CTEST_ARGS ?=
# Quiet by default: one line per phase (tools/quiet.sh), a phase's full output
# only when it fails; `make V=1 ...` shows everything. Sub-makes (CMake's
# generated Makefiles) never print "Entering directory".
V ?= 0
export V
MAKEFLAGS += --no-print-directory
QUIET := tools/quiet.sh
# $(call configure_in,DIR,CMAKE ARGS) and $(call build_in,DIR,BUILD ARGS)
configure_in = @$(QUIET) step "configuring $(1)/" $(1)/logs/configure.log -- cmake -S . -B $(1) $(2)
build_in = @$(QUIET) build "building $(1)/" $(1)/logs/build.log -- cmake --build $(1) $(2)
# ctest with passing tests' lines left out (failures and the summary stay).
CTEST := @$(QUIET) tests -- ctest

.PHONY: deps configure build demo test test-unit test-integration test-asan test-tsan soak fuzz fuzz-build fuzz-smoke bench samples model ner-models format clean

deps:
	@tools/install-deps.sh

configure: deps
	$(call configure_in,$(BUILD_DIR),-DCMAKE_BUILD_TYPE=$(BUILD_TYPE))

build: configure
	$(call build_in,$(BUILD_DIR),-j$(JOBS))

demo: build
	@$(WIREFEED) demo

test: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS) $(CTEST_ARGS)

test-unit: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS) -L unit

test-integration: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS) -L integration

# The unit and integration tests under AddressSanitizer + UndefinedBehaviorSanitizer,
# and the unit tests under ThreadSanitizer, each in its own build directory. TSan
# needs every library instrumented: Debian's librdkafka and civetweb are not, and
# TSan crashes inside their threads, so tests that start them cannot run under it.
# Under the sanitizers everything runs 2-5x slower, and timing-bound tests (a
# commit racing a shutdown) can lose a race they win at full speed: CI retries a
# failing test once (ASAN_CTEST_ARGS="--repeat until-pass:2"), and the failed
# run's output stays in the log.
ASAN_CTEST_ARGS ?=
test-asan: deps
	$(call configure_in,build-asan,-DCMAKE_BUILD_TYPE=Debug -DWIREFEED_SANITIZE=address$(,)undefined \
	  -DWIREFEED_BUILD_BENCH=OFF)
	$(call build_in,build-asan,-j$(JOBS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(QUIET) tests -- ctest --test-dir build-asan --output-on-failure -j$(JOBS) \
	  -L "unit|integration" $(ASAN_CTEST_ARGS)

test-tsan: deps
	$(call configure_in,build-tsan,-DCMAKE_BUILD_TYPE=Debug -DWIREFEED_SANITIZE=thread \
	  -DWIREFEED_BUILD_BENCH=OFF)
	$(call build_in,build-tsan,-j$(JOBS))
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  $(QUIET) tests -- ctest --test-dir build-tsan --output-on-failure -j$(JOBS) -L unit \
	  -E logs_never_print_the_sasl_password

# libFuzzer (clang, ASan + UBSan) on decode alone and on the whole pipeline, from
# seeds made of the committed fixtures. `make fuzz` runs FUZZ_RUNS executions per
# target (the pipeline target runs every stage per input: expect an hour on one
# core); `make fuzz-smoke` (CI) about FUZZ_SECONDS each. Inputs that break an
# invariant land in build-fuzz/crashes/: make each a regression test
# (tests/fixtures/fuzz).
FUZZ_RUNS ?= 1000000
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := decode_fuzz pipeline_fuzz

fuzz-build:
	@tools/install-deps.sh fuzz
	$(call configure_in,build-fuzz,-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DWIREFEED_SANITIZE=address$(,)undefined -DWIREFEED_FUZZ=ON -DWIREFEED_BUILD_TESTS=OFF \
	  -DWIREFEED_BUILD_BENCH=OFF)
	$(call build_in,build-fuzz,-j$(JOBS) --target $(FUZZ_TARGETS))
	@mkdir -p build-fuzz/crashes
	@for t in $(FUZZ_TARGETS); do python3 tests/fuzz/make_seeds.py build-fuzz/corpus/$$t >/dev/null; done

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do tests/fuzz/run.sh $$t -runs=$(FUZZ_RUNS) || exit 1; done

fuzz-smoke: fuzz-build
	@for t in $(FUZZ_TARGETS); do tests/fuzz/run.sh $$t -max_total_time=$(FUZZ_SECONDS) || exit 1; done

# The long reliability runs: 100 SIGKILLs (more partitions keep the output within
# the embedded cluster's retention), then 10 minutes of steady load with resident
# memory sampled (it must stay flat).
soak: build
	python3 tests/reliability/crash_test.py $(WIREFEED) --kills 100 --records 60000 --partitions 32
	python3 tests/reliability/soak_memory.py $(WIREFEED) --minutes 10

# Micro benchmarks, then the end-to-end harness (writes bench/results/latest.md).
bench: build
	@echo "running the micro benchmarks (bench/micro)"
	@$(BUILD_DIR)/bench/micro/wirefeed_micro_bench --benchmark_min_time=0.2
	@echo "running the end-to-end harness (bench/e2e/harness.py)"
	@python3 bench/e2e/harness.py $(WIREFEED)

# Rebuilds data/samples from ../shared/data (CC BY articles only).
samples:
	tools/make_samples.py

# Rebuilds data/ner from ../shared/data: the gazetteers (GeoNames, WordNet from
# Debian's wordnet-base, CoNLL-2003 entity names), the word clusters (unlabeled
# news text) and the NER model (eng.train, epochs chosen on eng.testa). The
# output is byte-identical from run to run; commit it.
SHARED_DATA ?= ../shared/data
model: build
	@test -d $(SHARED_DATA)/conll2003 || { echo "make model needs $(SHARED_DATA) (CoNLL-2003, GeoNames, news text)"; exit 2; }
	@test -f /usr/share/wordnet/data.noun || apt-get install -y -q wordnet-base >/dev/null
	tools/ner/build_gazetteer.py --shared $(SHARED_DATA) --out data/ner
	$(BUILD_DIR)/tools/ner/wirefeed_word_clusters --out data/ner/clusters.tsv \
	  $(SHARED_DATA)/reuters21578/*.sgm $(SHARED_DATA)/bbc/train.jsonl \
	  $(SHARED_DATA)/wikinews-en/articles.jsonl $(SHARED_DATA)/conll2003/eng.train
	$(BUILD_DIR)/tools/ner/wirefeed_train_ner --train $(SHARED_DATA)/conll2003/eng.train \
	  --dev $(SHARED_DATA)/conll2003/eng.testa --gazetteer data/ner/gazetteer.tsv \
	  --clusters data/ner/clusters.tsv --out data/ner/model.bin
	$(call build_in,$(BUILD_DIR),-j$(JOBS))

# Rebuilds the Spanish, Dutch and Italian NER models (data/lang/<code>/
# ner-model.bin and the training entity names ner-names.tsv) with the English
# lists and clusters of data/ner. Epochs were chosen by 5-fold cross-validation
# on the train file (NER_CV=1 reruns it: consecutive blocks, nothing written);
# the shipped models train on train + dev. Deterministic; each takes seconds.
# Terms: CoNLL-2002 and KIND (CC BY-NC 4.0) are non-commercial (data/NOTICE).
NER_LANGUAGES := es:conll2002/esp.train:conll2002/esp.testa:4 \
  nl:conll2002/ned.train:conll2002/ned.testa:7 it:kind-it/WN_train.tsv:kind-it/WN_dev.tsv:10
NER_TRAIN = nice $(BUILD_DIR)/tools/ner/wirefeed_train_ner --gazetteer data/ner/gazetteer.tsv \
  --clusters data/ner/clusters.tsv --training-names own
ner-models: build
	@test -d $(SHARED_DATA)/conll2002 || { echo "make ner-models needs $(SHARED_DATA) (CoNLL-2002, KIND)"; exit 2; }
	@set -e; for spec in $(NER_LANGUAGES); do \
	  lang=$${spec%%:*}; rest=$${spec#*:}; train=$${rest%%:*}; rest=$${rest#*:}; \
	  dev=$${rest%%:*}; epochs=$${rest#*:}; \
	  if [ -n "$(NER_CV)" ]; then \
	    echo "== $$lang: 5-fold CV on $$train"; \
	    $(NER_TRAIN) --train $(SHARED_DATA)/$$train --cv 5 --epochs 10; \
	  else \
	    mkdir -p data/lang/$$lang; \
	    $(NER_TRAIN) --train $(SHARED_DATA)/$$train --train $(SHARED_DATA)/$$dev \
	      --train-epochs $$epochs --out data/lang/$$lang/ner-model.bin \
	      --names-out data/lang/$$lang/ner-names.tsv; \
	  fi; \
	done

# Rebuilds the topics models (data/topics) from ../shared/data: iptc-top on
# BBC News (category -> IPTC Media Topics, tools/topics/iptc-top.tsv) and
# reuters21578 on the ModApte training split (tools/topics/reuters_to_jsonl.py
# writes the JSONL under $(BUILD_DIR)/, never into the repository). Options were
# chosen by 5-fold CV on the training data (TOPICS_CV=1 reruns it, writing
# nothing). Deterministic: the same data give byte-identical models; commit them.
.PHONY: topic-models
TOPICS_IPTC := --labels-field category --label-map tools/topics/iptc-top.tsv --name iptc-top \
  --model-version 1 --no-bigrams --lr 16 --l2 1e-7 --epochs 20
TOPICS_REUTERS := --labels-field topics --multi-label --name reuters21578 --model-version 1 \
  --buckets 65536 --weight-bits 8 --no-bigrams --lr 4 --l2 1e-7 --epochs 20 --threshold 0.3
topic-models: build
	@test -f $(SHARED_DATA)/bbc/train.jsonl -a -d $(SHARED_DATA)/reuters21578 || { echo "make topic-models needs $(SHARED_DATA)/bbc/train.jsonl and $(SHARED_DATA)/reuters21578 (the evaluation data, not in a clone)"; exit 2; }
	tools/topics/reuters_to_jsonl.py --reuters $(SHARED_DATA)/reuters21578 --out $(BUILD_DIR)/topics-data
	@if [ -n "$(TOPICS_CV)" ]; then \
	  $(WIREFEED) train topics --input $(SHARED_DATA)/bbc/train.jsonl $(TOPICS_IPTC) --folds 5; \
	  $(WIREFEED) train topics --input $(BUILD_DIR)/topics-data/train.jsonl $(TOPICS_REUTERS) --folds 5; \
	else \
	  $(WIREFEED) train topics --input $(SHARED_DATA)/bbc/train.jsonl $(TOPICS_IPTC) \
	    --output data/topics/iptc-top.bin && \
	  $(WIREFEED) train topics --input $(BUILD_DIR)/topics-data/train.jsonl $(TOPICS_REUTERS) \
	    --output data/topics/reuters21578.bin; \
	fi
	$(call build_in,$(BUILD_DIR),-j$(JOBS))

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
