#pragma once

// Result<T>: the value of an operation that can fail in an expected way (bad config, ENOENT, a
// malformed request). A subset of std::expected's API, so moving to C++23 later is mechanical.
// Invariant violations are not Results: they abort through vigil::Check.

#include <string>
#include <utility>
#include <variant>

#include "base/check.h"

namespace vigil {

enum class ErrorCode {
  kInvalidArgument,     // the input is wrong (config value, request parameter)
  kNotFound,            // no such program, file, user
  kAlreadyExists,       // already started, already added
  kFailedPrecondition,  // not in a state that allows this (not running, shutting down)
  kIo,                  // a read/write/syscall failed
  kSpawn,               // a child could not be started
  kProtocol,            // a peer spoke nonsense
  kInternal,            // a bug or an unexpected kernel answer
};

struct [[nodiscard]] Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  int sys_errno = 0;  // the errno behind the error, when there is one
  // The same failure in the words of the program vigil stands in for, where vigil's `message`
  // says more (e.g. supervisord's text for an error in its configuration dialect, without
  // vigil's file:line and advice), for the APIs that must answer as that program does. Empty
  // when there is no such text.
  std::string compat_message = {};

  static Error InvalidArgument(std::string m) {
    return {ErrorCode::kInvalidArgument, std::move(m)};
  }
  static Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
  static Error FailedPrecondition(std::string m) {
    return {ErrorCode::kFailedPrecondition, std::move(m)};
  }
  static Error Io(int err, std::string m) { return {ErrorCode::kIo, std::move(m), err}; }
  static Error Spawn(int err, std::string m) { return {ErrorCode::kSpawn, std::move(m), err}; }
  static Error Protocol(std::string m) { return {ErrorCode::kProtocol, std::move(m)}; }
  static Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    Check(has_value(), "Result::value() on an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    Check(has_value(), "Result::value() on an error");
    return std::get<0>(state_);
  }
  T&& value() && {
    Check(has_value(), "Result::value() on an error");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const& {
    Check(!has_value(), "Result::error() on a value");
    return std::get<1>(state_);
  }
  Error&& error() && {
    Check(!has_value(), "Result::error() on a value");
    return std::get<1>(std::move(state_));
  }
  template <typename U>
  T value_or(U&& fallback) const& {
    if (has_value()) return std::get<0>(state_);
    return static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { Check(ok_, "Result<void>::value() on an error"); }
  const Error& error() const& {
    Check(!ok_, "Result::error() on a value");
    return error_;
  }
  Error&& error() && {
    Check(!ok_, "Result::error() on a value");
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace vigil
