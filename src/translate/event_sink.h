// EventSink: a non-owning, allocation-free reference to whatever consumes canonical stream
// events (a stream encoder, a test recorder). Pure; any thread.
#pragma once
#include <type_traits>
#include <utility>

#include "translate/canonical.h"

namespace cg::translate {

class EventSink {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, EventSink>>>
  EventSink(F& f)  // NOLINT(google-explicit-constructor): a reference, like std::function_ref
      : obj_(static_cast<void*>(&f)),
        call_([](void* o, const StreamEvent& e) { (*static_cast<F*>(o))(e); }) {}

  void operator()(const StreamEvent& e) const { call_(obj_, e); }

 private:
  void* obj_;
  void (*call_)(void*, const StreamEvent&);
};

}  // namespace cg::translate
