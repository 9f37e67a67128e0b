// See model_routing.h.
#include "copilot/model_routing.h"

#include <algorithm>
#include <cctype>

namespace cg::copilot {

namespace {

using wire::copilot::ModelCatalog;
using wire::copilot::ModelInfo;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Drops a trailing "-YYYYMMDD" (or "-YYYY-MM-DD") and "-latest".
std::string strip_suffixes(std::string s) {
  if (s.ends_with("-latest")) s.resize(s.size() - 7);
  if (s.size() > 9 && s[s.size() - 9] == '-' &&
      all_digits(std::string_view(s).substr(s.size() - 8)))
    s.resize(s.size() - 9);
  if (s.size() > 11 && s[s.size() - 11] == '-' && s[s.size() - 6] == '-' &&
      s[s.size() - 3] == '-' && all_digits(std::string_view(s).substr(s.size() - 10, 4))) {
    s.resize(s.size() - 11);
  }
  return s;
}

// "claude-haiku-4-5" -> "claude-haiku-4.5": a hyphen between two short digit runs becomes a dot.
std::string dot_versions(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-' && i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
        i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      size_t before = i, after = i + 1;
      while (before > 0 && std::isdigit(static_cast<unsigned char>(s[before - 1])))
        --before;
      while (after < s.size() && std::isdigit(static_cast<unsigned char>(s[after])))
        ++after;
      if (i - before <= 2 && after - (i + 1) <= 2) {
        out.push_back('.');
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

const ModelInfo* find_ci(const ModelCatalog& catalog, std::string_view id) {
  if (const ModelInfo* m = catalog.find(id)) return m;
  const std::string want = lower(id);
  for (const ModelInfo& m : catalog.models)
    if (lower(m.id) == want) return &m;
  return nullptr;
}

}  // namespace

const ModelInfo* resolve_model(const ModelCatalog& catalog, std::string_view requested,
                               const std::map<std::string, std::string>& aliases) {
  if (auto it = aliases.find(std::string(requested)); it != aliases.end()) {
    if (const ModelInfo* m = find_ci(catalog, it->second)) return m;
  }
  if (const ModelInfo* m = find_ci(catalog, requested)) return m;
  const std::string base = strip_suffixes(lower(requested));
  if (const ModelInfo* m = find_ci(catalog, base)) return m;
  const std::string dotted = dot_versions(base);
  if (const ModelInfo* m = find_ci(catalog, dotted)) return m;
  // Copilot spells some versions without the dot ("claude-opus-41").
  std::string undotted = dotted;
  std::erase(undotted, '.');
  for (const ModelInfo& m : catalog.models) {
    std::string id = lower(m.id);
    std::erase(id, '.');
    if (id == undotted) return &m;
  }
  return nullptr;
}

std::string unknown_model_message(const ModelCatalog& catalog, std::string_view requested) {
  // At most 200 bytes of the name, cut on a character boundary.
  size_t cut = std::min<size_t>(requested.size(), 200);
  while (cut > 0 && cut < requested.size() &&
         (static_cast<unsigned char>(requested[cut]) & 0xC0) == 0x80)
    --cut;
  std::string msg = "The model '" + std::string(requested.substr(0, cut)) +
                    "' is not available through this gateway. Available models: ";
  bool first = true;
  for (const ModelInfo& m : catalog.models) {
    if (m.type != "chat" && !m.type.empty()) continue;
    if (!first) msg += ", ";
    first = false;
    msg += m.id;
  }
  if (first) msg += "(none)";
  msg += ".";
  return msg;
}

bool offers(const ModelInfo& model, std::string_view endpoint) {
  for (const std::string& e : model.supported_endpoints)
    if (e == endpoint) return true;
  return false;
}

UpstreamApi choose_upstream(const ModelInfo& model, ClientApi client, bool native_messages) {
  if (model.supported_endpoints.empty()) return UpstreamApi::kChat;
  if (client == ClientApi::kMessages && native_messages && offers(model, "/v1/messages"))
    return UpstreamApi::kMessages;
  if (client == ClientApi::kResponses && offers(model, "/responses"))
    return UpstreamApi::kResponses;
  if (offers(model, "/chat/completions")) return UpstreamApi::kChat;
  if (offers(model, "/responses")) return UpstreamApi::kResponses;
  if (offers(model, "/v1/messages")) return UpstreamApi::kMessages;
  return UpstreamApi::kChat;
}

std::string_view endpoint_path(UpstreamApi api) {
  switch (api) {
    case UpstreamApi::kResponses:
      return "/responses";
    case UpstreamApi::kMessages:
      return "/v1/messages";
    case UpstreamApi::kChat:
      break;
  }
  return "/chat/completions";
}

}  // namespace cg::copilot
