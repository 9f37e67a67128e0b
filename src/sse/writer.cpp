// See writer.h. Pure.
#include "sse/writer.h"

namespace cg::sse {

void append_data_event(std::string& out, std::string_view json) {
  out.reserve(out.size() + json.size() + 8);
  out.append("data: ");
  out.append(json);
  out.append("\n\n");
}

void append_named_event(std::string& out, std::string_view name, std::string_view json) {
  out.reserve(out.size() + name.size() + json.size() + 16);
  out.append("event: ");
  out.append(name);
  out.append("\ndata: ");
  out.append(json);
  out.append("\n\n");
}

}  // namespace cg::sse
