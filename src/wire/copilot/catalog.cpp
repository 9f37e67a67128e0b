// See catalog.h. Pure; Boost.JSON with error codes (no exceptions escape).
#include "wire/copilot/catalog.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace cg::wire::copilot {
namespace json = boost::json;
namespace {

std::string str(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string().data(), v->get_string().size());
}

bool boolean(const json::object* o, std::string_view key) {
  if (o == nullptr) return false;
  const json::value* v = o->if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

int64_t integer(const json::object* o, std::string_view key) {
  if (o == nullptr) return -1;
  const json::value* v = o->if_contains(key);
  if (v == nullptr) return -1;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return -1;
}

double number(const json::object* o, std::string_view key) {
  if (o == nullptr) return 0.0;
  const json::value* v = o->if_contains(key);
  if (v == nullptr) return 0.0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0.0;
}

const json::object* obj(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const json::value* v = o->if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

ModelInfo parse_model(const json::object& m) {
  ModelInfo info;
  info.id = str(&m, "id");
  info.name = str(&m, "name");
  info.vendor = str(&m, "vendor");
  info.version = str(&m, "version");
  info.preview = boolean(&m, "preview");
  const json::object* billing = obj(&m, "billing");
  info.premium = boolean(billing, "is_premium");
  info.multiplier = number(billing, "multiplier");
  if (const json::value* eps = m.if_contains("supported_endpoints")) {
    if (const json::array* a = eps->if_array()) {
      for (const json::value& e : *a) {
        if (e.is_string()) info.supported_endpoints.emplace_back(e.get_string());
      }
    }
  }
  const json::object* caps = obj(&m, "capabilities");
  info.type = str(caps, "type");
  info.family = str(caps, "family");
  info.tokenizer = str(caps, "tokenizer");
  if (const json::object* limits = obj(caps, "limits")) {
    info.max_context_window_tokens = integer(limits, "max_context_window_tokens");
    info.max_prompt_tokens = integer(limits, "max_prompt_tokens");
    info.max_output_tokens = integer(limits, "max_output_tokens");
    info.limits_json = json::serialize(*limits);
  }
  if (const json::object* supports = obj(caps, "supports")) {
    info.supports_streaming = boolean(supports, "streaming");
    info.supports_tool_calls = boolean(supports, "tool_calls");
    info.supports_vision = boolean(supports, "vision");
    info.supports_thinking = boolean(supports, "thinking") ||
                             boolean(supports, "adaptive_thinking") ||
                             integer(supports, "max_thinking_budget") > 0;
    info.min_thinking_budget = integer(supports, "min_thinking_budget");
    info.max_thinking_budget = integer(supports, "max_thinking_budget");
    info.supports_json = json::serialize(*supports);
  }
  return info;
}

}  // namespace

const ModelInfo* ModelCatalog::find(std::string_view id) const {
  for (const ModelInfo& m : models) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

Result<ModelCatalog> parse_catalog(std::string_view upstream_models_json) {
  boost::system::error_code ec;
  json::value v = json::parse(upstream_models_json, ec);
  if (ec) return ApiError::bad_gateway("Copilot returned an invalid models list (not JSON)");
  const json::array* list = v.if_array();
  if (list == nullptr) {
    if (const json::object* o = v.if_object()) {
      if (const json::value* data = o->if_contains("data")) list = data->if_array();
    }
  }
  if (list == nullptr) return ApiError::bad_gateway("Copilot returned a models list without data");
  ModelCatalog catalog;
  catalog.models.reserve(list->size());
  for (const json::value& e : *list) {
    const json::object* m = e.if_object();
    if (m == nullptr || str(m, "id").empty()) continue;
    catalog.models.push_back(parse_model(*m));
  }
  return catalog;
}

}  // namespace cg::wire::copilot
