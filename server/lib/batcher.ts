/**
 * Collects work items that arrive in the same event-loop turn and runs them together, so many
 * concurrent writes share one SQLite transaction (one fsync) while each caller is still answered
 * only after that commit.
 */
export function createBatcher<T, R>(run: (items: T[]) => R[], maxBatch = 500) {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  let scheduled = false

  function flush() {
    scheduled = false
    const batch = queue.splice(0, maxBatch)
    queue = queue.length ? queue : []
    if (queue.length) schedule()
    let results: R[]
    try {
      results = run(batch.map((b) => b.item))
    } catch (error) {
      for (const b of batch) b.reject(error)
      return
    }
    batch.forEach((b, i) => b.resolve(results[i]!))
  }

  function schedule() {
    if (scheduled) return
    scheduled = true
    setImmediate(flush)
  }

  return function submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      schedule()
    })
  }
}
