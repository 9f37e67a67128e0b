// See embeddings.h. Vectors come from a splitmix64 stream seeded by a fixed-key SipHash of the
// input key, so they are the same in every process.
#include "sim/embeddings.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/json_escape.h"
#include "core/siphash.h"
#include "sim/base64.h"
#include "sim/dom_util.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

ApiError invalid(std::string message, std::string param = "input") {
  return ApiError::bad_request(std::move(message), "invalid_request_body", std::move(param));
}

// A token array as an input key; false when an element is not an integer.
bool token_key(const json::array& tokens, std::string& key) {
  key = "tokens:";
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::optional<int64_t> t = as_integer(tokens[i]);
    if (!t) return false;
    if (i > 0) key += ',';
    key += std::to_string(*t);
  }
  return true;
}

// Fills plan.inputs and plan.prompt_tokens from `input`.
std::optional<ApiError> read_input(const json::value& input, EmbeddingsPlan& plan) {
  const ApiError bad_type = invalid(
      "Invalid type for 'input': expected a string, an array of strings, an array of integers "
      "or an array of arrays of integers.");
  if (input.is_string()) {
    if (input.get_string().empty()) return invalid("'input' cannot be an empty string.");
    plan.inputs.emplace_back(input.get_string());
    plan.prompt_tokens = approx_tokens(input.get_string().size());
    return std::nullopt;
  }
  if (!input.is_array()) return bad_type;
  const json::array& a = input.get_array();
  if (a.empty()) return invalid("'input' cannot be an empty array.");
  if (a.size() > kMaxEmbeddingInputs && !as_integer(a.front()))
    return invalid("'input' has " + std::to_string(a.size()) + " items; at most " +
                   std::to_string(kMaxEmbeddingInputs) + " are allowed.");
  if (as_integer(a.front())) {  // one token array
    std::string key;
    if (!token_key(a, key)) return bad_type;
    plan.inputs.push_back(std::move(key));
    plan.prompt_tokens = static_cast<int>(a.size());
    return std::nullopt;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string where = "'input[" + std::to_string(i) + "]'";
    if (a[i].is_string()) {
      if (a[i].get_string().empty()) return invalid(where + " cannot be an empty string.");
      plan.inputs.emplace_back(a[i].get_string());
      plan.prompt_tokens += approx_tokens(a[i].get_string().size());
    } else if (a[i].is_array()) {
      std::string key;
      if (a[i].get_array().empty()) return invalid(where + " cannot be an empty array.");
      if (!token_key(a[i].get_array(), key)) return bad_type;
      plan.inputs.push_back(std::move(key));
      plan.prompt_tokens += static_cast<int>(a[i].get_array().size());
    } else {
      return bad_type;
    }
  }
  return std::nullopt;
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void append_float(std::string& out, float f) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  out.append(buf, end);
}

}  // namespace

Result<EmbeddingsPlan> plan_embeddings(std::string_view body, const Catalog& catalog) {
  std::string parse_error;
  const std::optional<json::value> doc = parse_body(body, parse_error);
  if (!doc) return invalid(parse_error, "");
  if (!doc->is_object()) return invalid("request body must be a JSON object", "");
  const json::object& req = doc->get_object();

  EmbeddingsPlan plan;
  const json::value* model = req.if_contains("model");
  if (model == nullptr || !model->is_string())
    return ApiError::bad_request("Missing required parameter: 'model'.",
                                 "missing_required_parameter", "model");
  plan.model = std::string(model->get_string());
  const json::value* input = req.if_contains("input");
  if (input == nullptr)
    return ApiError::bad_request("Missing required parameter: 'input'.",
                                 "missing_required_parameter", "input");
  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return ApiError::bad_request("The requested model is not supported.", "model_not_supported",
                                 "model");
  if (!info->embeddings)
    return ApiError::bad_request(
        "model \"" + plan.model + "\" is not accessible via the /embeddings endpoint",
        "unsupported_api_for_model", "model");
  if (auto err = read_input(*input, plan)) return std::move(*err);

  if (const json::value* d = req.if_contains("dimensions"); d != nullptr && !d->is_null()) {
    const std::optional<int64_t> n = as_integer(*d);
    if (!n || *n < 1 || *n > kDefaultEmbeddingDimensions)
      return invalid("'dimensions' must be an integer between 1 and " +
                         std::to_string(kDefaultEmbeddingDimensions) + ".",
                     "dimensions");
    plan.dimensions = static_cast<int>(*n);
  }
  if (const json::value* f = req.if_contains("encoding_format"); f != nullptr && !f->is_null()) {
    if (!f->is_string() || (f->get_string() != "float" && f->get_string() != "base64"))
      return invalid("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
    plan.base64 = f->get_string() == "base64";
  }
  return plan;
}

std::vector<float> embedding_vector(std::string_view key, int dimensions) {
  static constexpr SipKey kSeedKey{0x636f70696c6f7473ull, 0x696d656d62656473ull};
  uint64_t state = siphash24(kSeedKey, key);
  std::vector<double> raw(static_cast<size_t>(dimensions));
  double norm = 0;
  for (double& x : raw) {
    x = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    norm += x * x;
  }
  norm = std::sqrt(norm);
  std::vector<float> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i)
    out[i] = static_cast<float>(norm > 0 ? raw[i] / norm : 0);
  return out;
}

void render_embeddings(const EmbeddingsPlan& plan, std::string& out) {
  out += "{\"object\":\"list\",\"data\":[";
  std::string bytes;
  for (size_t i = 0; i < plan.inputs.size(); ++i) {
    const std::vector<float> v = embedding_vector(plan.inputs[i], plan.dimensions);
    if (i > 0) out += ',';
    out += "{\"object\":\"embedding\",\"index\":";
    out += std::to_string(i);
    out += ",\"embedding\":";
    if (plan.base64) {
      bytes.resize(v.size() * 4);
      for (size_t k = 0; k < v.size(); ++k) {
        uint32_t u = 0;
        std::memcpy(&u, &v[k], 4);
        for (int b = 0; b < 4; ++b)
          bytes[4 * k + b] = static_cast<char>(u >> (8 * b));  // little-endian
      }
      out += '"';
      append_base64(out, bytes);
      out += '"';
    } else {
      out += '[';
      for (size_t k = 0; k < v.size(); ++k) {
        if (k > 0) out += ',';
        append_float(out, v[k]);
      }
      out += ']';
    }
    out += '}';
  }
  out += "],\"model\":";
  append_json_string(out, plan.model);
  out += ",\"usage\":{\"prompt_tokens\":";
  out += std::to_string(plan.prompt_tokens);
  out += ",\"total_tokens\":";
  out += std::to_string(plan.prompt_tokens);
  out += "}}";
}

}  // namespace cg::sim
