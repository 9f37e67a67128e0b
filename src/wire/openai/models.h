// GET /v1/models and /v1/models/{id} in OpenAI shape, rendered from the Copilot catalog with the
// Copilot extras (name, vendor, billing, limits, supports, ...) as additional fields. Pure; any
// thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wire/copilot/catalog.h"

namespace cg::wire::openai {

// {"object":"list","data":[<model>...]}.
std::string render_models(const wire::copilot::ModelCatalog& catalog, int64_t created);

// One model object, or nullopt when `id` is not in the catalog.
std::optional<std::string> render_model(const wire::copilot::ModelCatalog& catalog,
                                        std::string_view id, int64_t created);

// Appends one model object.
void append_model(std::string& out, const wire::copilot::ModelInfo& m, int64_t created);

}  // namespace cg::wire::openai
