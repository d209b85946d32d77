#include "wirefeed/kafka/record_router.h"

#include "wirefeed/core/timestamp.h"
#include "wirefeed/kafka/limits.h"
#include "wirefeed/ops/log.h"

namespace wirefeed::kafka {

using Clock = std::chrono::steady_clock;
using ops::log_warn;

namespace {

void add_header(rd_kafka_headers_t* headers, const char* name, std::string_view value) {
  rd_kafka_header_add(headers, name, -1, value.data(), static_cast<ssize_t>(value.size()));
}

}  // namespace

void RecordRouter::route(const rd_kafka_message_t& input, const core::Article& article,
                         const core::RunResult& result, std::int64_t processed_at_ms) {
  if (!result.ok()) {
    route_to_dlq(input, result.stage, result.status.code(), result.status.message());
    return;
  }
  if (auto r = refused_.empty() ? refused_.end() : refused_.find({input.partition, input.offset});
      r != refused_.end() && !r->second.dlq) {
    // Exactly-once redo of a batch whose enriched record a broker refused.
    route_to_dlq(input, "encode", core::Code::kOutputTooLarge,
                 refused_output_message(article.output.size(), r->second.why));
    return;
  }
  rd_kafka_headers_t* input_headers = nullptr;
  if (rd_kafka_message_headers(&input, &input_headers) != RD_KAFKA_RESP_ERR_NO_ERROR)
    input_headers = nullptr;
  HeadersHandle headers(
      rd_kafka_headers_new(2 + (input_headers ? rd_kafka_header_cnt(input_headers) : 0)));
  std::string processed_at = std::to_string(processed_at_ms);
  add_header(headers.get(), "wirefeed-processed-at-ms", processed_at);
  if (state_.options.replay) {
    add_header(headers.get(), "wirefeed-replay-id", state_.options.replay->replay_id);
  }
  state_.options.output_headers.append(input_headers, headers.get(), header_scratch_);
  rd_kafka_resp_err_t err =
      producer_.produce(state_.options.output_topic.c_str(), article.id.data(), article.id.size(),
                        article.output.data(), article.output.size(), headers.get(),
                        make_ticket(input.partition, input.offset));
  if (!err) {
    headers.release();  // librdkafka owns them now
    if (state_.observer) {
      state_.observer->on_emitted(input.partition, rd_kafka_message_timestamp(&input, nullptr),
                                  core::parse_timestamp_ms(article.published_at), processed_at_ms);
    }
    return;
  }
  if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
    route_to_dlq(input, "encode", core::Code::kOutputTooLarge,
                 "enriched record of " + std::to_string(article.output.size()) +
                     " bytes exceeds the producer's message.max.bytes");
    return;
  }
  state_.fail("cannot enqueue output record: " + std::string(rd_kafka_err2str(err)));
}

void RecordRouter::route_to_dlq(const rd_kafka_message_t& m, std::string_view stage,
                                core::Code code, std::string_view message) {
  message = utf8_prefix(message, kMaxErrorMessageBytes);  // within kDlqHeaderAllowance
  if (auto r = refused_.find({m.partition, m.offset}); r != refused_.end() && r->second.dlq) {
    write_reference(m, stage, code, message, r->second.why);  // refused before this redo
    return;
  }
  rd_kafka_headers_t* original = nullptr;
  HeadersHandle headers;
  if (rd_kafka_message_headers(&m, &original) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    headers.reset(rd_kafka_headers_copy(original));
  } else {
    headers.reset(rd_kafka_headers_new(8));
  }
  std::string partition = std::to_string(m.partition);
  std::string offset = std::to_string(m.offset);
  add_header(headers.get(), "wirefeed-error-stage", stage);
  add_header(headers.get(), "wirefeed-error-code", core::code_name(code));
  add_header(headers.get(), "wirefeed-error-message", message);
  add_header(headers.get(), "wirefeed-source-topic", state_.options.input_topic);
  add_header(headers.get(), "wirefeed-source-partition", partition);
  add_header(headers.get(), "wirefeed-source-offset", offset);
  if (state_.options.replay) {
    add_header(headers.get(), "wirefeed-replay-id", state_.options.replay->replay_id);
  }
  rd_kafka_resp_err_t err =
      producer_.produce(state_.options.dlq_topic.c_str(), m.key, m.key_len, m.payload, m.len,
                        headers.get(), make_ticket(m.partition, m.offset));
  if (!err) {
    headers.release();  // librdkafka owns them now
    return;
  }
  if (is_record_refusal(err)) {
    write_reference(m, stage, code, message, rd_kafka_err2str(err));
    return;
  }
  state_.fail("cannot enqueue DLQ record for partition " + partition + " offset " + offset + ": " +
              rd_kafka_err2str(err));
}

void RecordRouter::write_reference(const rd_kafka_message_t& input, std::string_view stage,
                                   core::Code code, std::string_view message,
                                   std::string_view why) {
  RefusedRecord r = refused_from_input(&input, state_.options.input_topic, stage,
                                       core::code_name(code), message, why);
  ReferenceRecord ref = make_reference_record(r);
  log_warn("DLQ record refused; writing a reference record instead",
           {{"partition", std::to_string(input.partition)},
            {"offset", std::to_string(input.offset)},
            {"bytes", std::to_string(input.len)},
            {"error", std::string(why)}});
  if (!produce_reference(ref, make_ticket(input.partition, input.offset))) {
    state_.fail("cannot enqueue the DLQ reference record for partition " +
                std::to_string(input.partition) + " offset " + std::to_string(input.offset));
  }
}

bool RecordRouter::produce_reference(ReferenceRecord& ref, void* ticket) {
  if (state_.options.replay) {
    add_header(ref.headers.get(), "wirefeed-replay-id", state_.options.replay->replay_id);
  }
  if (producer_.produce(state_.options.dlq_topic.c_str(), ref.has_key ? ref.key.data() : nullptr,
                        ref.key.size(), ref.value.data(), ref.value.size(), ref.headers.get(),
                        ticket)) {
    return false;
  }
  ref.headers.release();  // librdkafka owns them now
  return true;
}

void RecordRouter::on_refused(const rd_kafka_message_t& m, std::int32_t partition,
                              std::int64_t offset, bool is_dlq) {
  state_.kafka_error(rd_kafka_err2name(m.err));
  std::string why = rd_kafka_err2str(m.err);
  if (state_.options.exactly_once) {
    // The transaction aborts; its redo writes the smaller record.
    refused_[{partition, offset}] = {is_dlq, why};
    return;
  }
  RefusedRecord r = refused_from_delivery(&m, state_.options.input_topic, partition, offset,
                                          is_dlq ? "dlq" : "output", why);
  std::string message;
  if (!is_dlq) {
    // The input is no longer at hand: the reference points at it in the input topic.
    message = refused_output_message(m.len, why);
    r.stage = "encode";
    r.code = core::code_name(core::Code::kOutputTooLarge);
    r.message = message;
  }
  log_warn(is_dlq ? "DLQ record refused by the broker; writing a reference record instead"
                  : "enriched record refused by the broker; writing a DLQ reference record",
           {{"partition", std::to_string(partition)},
            {"offset", std::to_string(offset)},
            {"bytes", std::to_string(m.len)},
            {"error", why}});
  pending_references_.push_back({make_reference_record(r), make_ticket(partition, offset)});
  state_.add_in_flight(+1);  // in flight again until the reference is delivered
}

void RecordRouter::flush_references() {
  if (pending_references_.empty()) return;
  // Taken out first: producing serves delivery reports, which may add more.
  std::vector<PendingReference> pending;
  pending.swap(pending_references_);
  for (auto& p : pending) {
    if (state_.fatal) break;  // nothing is stored past a failure: they are redone after a restart
    if (!produce_reference(p.record, p.ticket)) {
      state_.fail("cannot enqueue the DLQ reference record for partition " +
                  std::to_string(ticket_partition(p.ticket)) + " offset " +
                  std::to_string(ticket_offset(p.ticket)));
    }
  }
}

void RecordRouter::drain(std::chrono::milliseconds budget) {
  auto deadline = Clock::now() + budget;
  while ((producer_.queued() > 0 || !pending_references_.empty()) && Clock::now() < deadline) {
    producer_.poll(50);
    flush_references();
  }
}

void RecordRouter::settle_refusals(const std::map<std::int32_t, std::int64_t>& next) {
  std::erase_if(refused_, [&](const auto& r) {
    auto n = next.find(r.first.first);
    return n != next.end() && r.first.second < n->second;
  });
}

}  // namespace wirefeed::kafka
