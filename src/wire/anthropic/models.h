// GET /v1/models and /v1/models/{id} in Anthropic shape (what the Anthropic SDKs' models.list /
// retrieve parse), rendered from the Copilot catalog: chat models only, with paging by
// after_id / before_id / limit. Pure; any thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wire/copilot/catalog.h"

namespace cg::wire::anthropic {

struct ModelPage {
  std::string_view after_id, before_id;
  int limit = 20;  // 1..1000
};

// {"data":[{"type":"model","id","display_name","created_at"}...],"has_more","first_id","last_id"}.
// `created` (unix seconds) becomes created_at in RFC 3339.
std::string render_models(const wire::copilot::ModelCatalog& catalog, int64_t created,
                          const ModelPage& page);

// One model object, or nullopt when `id` is not in the catalog.
std::optional<std::string> render_model(const wire::copilot::ModelCatalog& catalog,
                                        std::string_view id, int64_t created);

// after_id / before_id / limit from a request target's query string.
ModelPage parse_model_page(std::string_view target);

}  // namespace cg::wire::anthropic
