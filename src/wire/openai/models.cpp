// See models.h. Pure; hand-written JSON emission.
#include "wire/openai/models.h"

#include <charconv>
#include <cmath>

#include "core/json_escape.h"

namespace cg::wire::openai {
namespace {

void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0.0;
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) {
    out.push_back('0');
    return;
  }
  out.append(buf, ptr);
}

void append_bool(std::string& out, bool v) {
  out.append(v ? "true" : "false");
}

std::string owned_by(std::string_view vendor) {
  if (vendor.empty()) return "github-copilot";
  std::string s(vendor);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

void append_model(std::string& out, const wire::copilot::ModelInfo& m, int64_t created) {
  out.append("{\"id\":");
  append_json_string(out, m.id);
  out.append(",\"object\":\"model\",\"created\":");
  out.append(std::to_string(created));
  out.append(",\"owned_by\":");
  append_json_string(out, owned_by(m.vendor));
  out.append(",\"name\":");
  append_json_string(out, m.name.empty() ? m.id : m.name);
  out.append(",\"vendor\":");
  append_json_string(out, m.vendor);
  out.append(",\"version\":");
  append_json_string(out, m.version);
  out.append(",\"preview\":");
  append_bool(out, m.preview);
  out.append(",\"type\":");
  append_json_string(out, m.type);
  out.append(",\"billing\":{\"is_premium\":");
  append_bool(out, m.premium);
  out.append(",\"multiplier\":");
  append_double(out, m.multiplier);
  out.append("},\"supported_endpoints\":[");
  for (size_t i = 0; i < m.supported_endpoints.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, m.supported_endpoints[i]);
  }
  out.append("],\"limits\":");
  out.append(m.limits_json.empty() ? std::string_view("{}") : m.limits_json);
  out.append(",\"supports\":");
  out.append(m.supports_json.empty() ? std::string_view("{}") : m.supports_json);
  out.append(",\"family\":");
  append_json_string(out, m.family);
  out.append(",\"tokenizer\":");
  append_json_string(out, m.tokenizer);
  out.push_back('}');
}

std::string render_models(const wire::copilot::ModelCatalog& catalog, int64_t created) {
  std::string out;
  out.reserve(64 + catalog.models.size() * 640);
  out.append("{\"object\":\"list\",\"data\":[");
  for (size_t i = 0; i < catalog.models.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_model(out, catalog.models[i], created);
  }
  out.append("]}");
  return out;
}

std::optional<std::string> render_model(const wire::copilot::ModelCatalog& catalog,
                                        std::string_view id, int64_t created) {
  const wire::copilot::ModelInfo* m = catalog.find(id);
  if (m == nullptr) return std::nullopt;
  std::string out;
  append_model(out, *m, created);
  return out;
}

}  // namespace cg::wire::openai
