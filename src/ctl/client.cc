#include "ctl/client.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/stat.h>

namespace vigil::ctl {
namespace {

struct Sink {
  std::string* buffer = nullptr;
  const std::function<bool(std::string_view)>* stream = nullptr;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->stream != nullptr) {
    return (*sink->stream)(std::string_view(data, n)) ? n : 0;
  }
  sink->buffer->append(data, n);
  return n;
}

}  // namespace

Result<HttpResult> Client::Request(const std::string& method, const std::string& path,
                                   const std::function<bool(std::string_view)>* stream) const {
  std::string base;
  std::string socket_path;
  if (server_.url.starts_with("unix://")) {
    socket_path = server_.url.substr(7);
    struct stat st {};
    if (::stat(socket_path.c_str(), &st) != 0) {
      return Error::NotFound(fmt::format("{} no such file: is vigild running?", server_.url));
    }
    base = "http://localhost";
  } else {
    base = server_.url;
    while (base.ends_with('/')) base.pop_back();
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error::Internal("curl_easy_init failed");
  HttpResult result;
  Sink sink{&result.body, stream};
  const std::string url = base + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (!socket_path.empty()) curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket_path.c_str());
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
  }
  if (server_.username) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, server_.username->c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, server_.password.value_or("").c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_cleanup(curl);
  if (code == CURLE_WRITE_ERROR && stream != nullptr) return result;  // the sink stopped
  if (code != CURLE_OK) {
    return Error::Io(0, fmt::format("{} refused connection ({}): is vigild running?", server_.url,
                                    curl_easy_strerror(code)));
  }
  return result;
}

Result<HttpResult> Client::Get(const std::string& path) const {
  return Request("GET", path, nullptr);
}

Result<HttpResult> Client::Post(const std::string& path) const {
  return Request("POST", path, nullptr);
}

Result<long> Client::Stream(const std::string& path,
                            const std::function<bool(std::string_view)>& sink) const {
  Result<HttpResult> result = Request("GET", path, &sink);
  if (!result) return result.error();
  return result->status;
}

}  // namespace vigil::ctl
