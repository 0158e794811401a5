// A kernel-style intrusive doubly linked list (include/linux/list.h), with the same verbs, so
// the workqueue code reads like kernel/workqueue.c. Each node knows its owner, which replaces
// container_of().
#pragma once

namespace wqlab::wq {

struct ListHead {
  explicit ListHead(void* owner_ = nullptr) : prev(this), next(this), owner(owner_) {}
  ListHead(const ListHead&) = delete;
  ListHead& operator=(const ListHead&) = delete;

  bool empty() const { return next == this; }
  template <typename T>
  T* entry() const {
    return static_cast<T*>(owner);
  }

  ListHead* prev;
  ListHead* next;
  void* owner;  // the object this node is embedded in (unused for list heads)
};

inline void list_add_between(ListHead* n, ListHead* prev, ListHead* next) {
  next->prev = n;
  n->next = next;
  n->prev = prev;
  prev->next = n;
}
// Inserts after `head` (at the front).
inline void list_add(ListHead* n, ListHead* head) {
  list_add_between(n, head, head->next);
}
// Inserts before `head` (at the tail; or right before any node).
inline void list_add_tail(ListHead* n, ListHead* head) {
  list_add_between(n, head->prev, head);
}
inline void list_del_init(ListHead* n) {
  n->prev->next = n->next;
  n->next->prev = n->prev;
  n->prev = n->next = n;
}
inline void list_move(ListHead* n, ListHead* head) {
  list_del_init(n);
  list_add(n, head);
}
inline void list_move_tail(ListHead* n, ListHead* head) {
  list_del_init(n);
  list_add_tail(n, head);
}
// Moves every node of `list` to the tail of `head`; `list` ends up empty.
inline void list_splice_tail_init(ListHead* list, ListHead* head) {
  if (list->empty()) return;
  ListHead* first = list->next;
  ListHead* last = list->prev;
  ListHead* at = head->prev;
  first->prev = at;
  at->next = first;
  last->next = head;
  head->prev = last;
  list->prev = list->next = list;
}
template <typename T>
T* list_first_entry_or_null(const ListHead* head) {
  return head->empty() ? nullptr : head->next->entry<T>();
}
template <typename T>
T* list_last_entry(const ListHead* head) {
  return head->prev->entry<T>();
}
inline int list_count(const ListHead* head) {
  int n = 0;
  for (const ListHead* p = head->next; p != head; p = p->next) ++n;
  return n;
}

}  // namespace wqlab::wq
