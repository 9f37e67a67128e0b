// See models.h.
#include "wire/anthropic/models.h"

#include <charconv>
#include <ctime>

#include "core/json_escape.h"

namespace cg::wire::anthropic {

namespace {

using wire::copilot::ModelInfo;

bool listed(const ModelInfo& m) {
  return m.type.empty() || m.type == "chat";
}

std::string rfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

void append_model(std::string& out, const ModelInfo& m, const std::string& created_at) {
  out.append(R"({"type":"model","id":)");
  append_json_string(out, m.id);
  out.append(R"(,"display_name":)");
  append_json_string(out, m.name.empty() ? m.id : m.name);
  out.append(R"(,"created_at":")").append(created_at).append("\"}");
}

}  // namespace

std::string render_models(const wire::copilot::ModelCatalog& catalog, int64_t created,
                          const ModelPage& page) {
  std::vector<const ModelInfo*> all;
  for (const ModelInfo& m : catalog.models)
    if (listed(m)) all.push_back(&m);
  size_t begin = 0, end = all.size();
  if (!page.after_id.empty()) {
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->id == page.after_id) begin = i + 1;
  }
  if (!page.before_id.empty()) {
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->id == page.before_id) end = i;
  }
  if (begin > end) begin = end;
  const size_t limit = static_cast<size_t>(page.limit < 1 ? 1 : page.limit);
  bool has_more = false;
  if (end - begin > limit) {
    has_more = true;
    if (!page.before_id.empty() && page.after_id.empty()) {
      begin = end - limit;  // the page just before `before_id`
    } else {
      end = begin + limit;
    }
  }
  const std::string created_at = rfc3339(created);
  std::string out(R"({"data":[)");
  for (size_t i = begin; i < end; ++i) {
    if (i != begin) out.push_back(',');
    append_model(out, *all[i], created_at);
  }
  out.append(R"(],"has_more":)").append(has_more ? "true" : "false");
  out.append(R"(,"first_id":)");
  if (begin < end) {
    append_json_string(out, all[begin]->id);
  } else {
    out.append("null");
  }
  out.append(R"(,"last_id":)");
  if (begin < end) {
    append_json_string(out, all[end - 1]->id);
  } else {
    out.append("null");
  }
  out.push_back('}');
  return out;
}

std::optional<std::string> render_model(const wire::copilot::ModelCatalog& catalog,
                                        std::string_view id, int64_t created) {
  const ModelInfo* m = catalog.find(id);
  if (!m) return std::nullopt;
  std::string out;
  append_model(out, *m, rfc3339(created));
  return out;
}

ModelPage parse_model_page(std::string_view target) {
  ModelPage page;
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return page;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view kv = query.substr(0, amp);
    const size_t eq = kv.find('=');
    const std::string_view k = kv.substr(0, eq);
    const std::string_view v =
        eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1);
    if (k == "after_id") {
      page.after_id = v;
    } else if (k == "before_id") {
      page.before_id = v;
    } else if (k == "limit") {
      int n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && p == v.data() + v.size())
        page.limit = n < 1 ? 1 : (n > 1000 ? 1000 : n);
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return page;
}

}  // namespace cg::wire::anthropic
