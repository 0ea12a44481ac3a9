#ifndef GATEHOUSE_CLINUXSHIMS_H
#define GATEHOUSE_CLINUXSHIMS_H

// Constants and thin wrappers for Linux APIs whose macros or variadic
// signatures Swift cannot import directly. Keep this file small: anything
// that Swift's Glibc module imports cleanly stays in Swift.

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <fcntl.h>

static const uint32_t GH_EPOLLIN = EPOLLIN;
static const uint32_t GH_EPOLLOUT = EPOLLOUT;
static const uint32_t GH_EPOLLERR = EPOLLERR;
static const uint32_t GH_EPOLLHUP = EPOLLHUP;
static const uint32_t GH_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t GH_EPOLLET = EPOLLET;
static const int GH_EPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const int GH_EPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int GH_EPOLL_CTL_MOD = EPOLL_CTL_MOD;
static const int GH_EPOLL_CTL_DEL = EPOLL_CTL_DEL;

static const int GH_EFD_NONBLOCK = EFD_NONBLOCK;
static const int GH_EFD_CLOEXEC = EFD_CLOEXEC;
static const int GH_SFD_NONBLOCK = SFD_NONBLOCK;
static const int GH_SFD_CLOEXEC = SFD_CLOEXEC;

static const int GH_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int GH_SOCK_CLOEXEC = SOCK_CLOEXEC;
static const int GH_SOCK_STREAM = SOCK_STREAM;
static const int GH_SO_REUSEPORT = SO_REUSEPORT;
static const int GH_MSG_NOSIGNAL = MSG_NOSIGNAL;

/// epoll_event is packed on x86_64, which Swift imports awkwardly; these
/// accessors keep field access in C.
static inline void gh_epoll_event_set(struct epoll_event *ev, uint32_t events, uint64_t data) {
    ev->events = events;
    ev->data.u64 = data;
}
static inline uint32_t gh_epoll_event_events(const struct epoll_event *ev) { return ev->events; }
static inline uint64_t gh_epoll_event_data(const struct epoll_event *ev) { return ev->data.u64; }
static inline struct epoll_event *gh_epoll_event_at(struct epoll_event *base, int index) { return base + index; }
static inline size_t gh_epoll_event_size(void) { return sizeof(struct epoll_event); }

/// Blocks `signo` in the calling thread's mask (inherited by threads it
/// creates) and returns a nonblocking signalfd for the given signals.
int gh_signalfd_for(const int *signals, int count);
/// Reads one signal number from a signalfd; returns -1 with errno on failure.
int gh_signalfd_read(int fd);
/// Blocks the given signals in the calling thread (so a signalfd owns them).
int gh_block_signals(const int *signals, int count);
/// accept4(2) with SOCK_NONBLOCK and SOCK_CLOEXEC (needs _GNU_SOURCE in C).
int gh_accept4(int fd, struct sockaddr *addr, socklen_t *len);

#endif
