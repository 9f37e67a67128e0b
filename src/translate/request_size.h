// How large an upstream body written from a canonical Request will be, so an emitter reserves
// its output once: a 90 KB agent request grown by doubling copies its text several times over.
// Pure; any thread.
#pragma once
#include <cstddef>

#include "translate/canonical.h"

namespace cg::translate {

// The bytes of every string, argument and schema the request carries, plus room for the JSON
// around each block, message and tool; a little more than any emitter writes for them.
inline size_t emitted_size_estimate(const Request& r) {
  auto block_size = [](const Block& b) {
    return b.text.size() + b.id.size() + b.name.size() + b.arguments.size() + b.signature.size() +
           b.image_url.size() + b.detail.size() + 96;
  };
  size_t n = 512 + r.model.size() + r.response_schema.size() + r.user.size();
  for (const Message& m : r.messages) {
    n += 32;
    for (const Block& b : m.content) {
      n += block_size(b);
      for (const Block& p : b.parts)
        n += block_size(p);
    }
  }
  for (const Tool& t : r.tools)
    n += t.name.size() + t.description.size() + t.parameters.size() + 96;
  for (const std::string& s : r.stop)
    n += s.size() + 8;
  return n + n / 16;
}

}  // namespace cg::translate
