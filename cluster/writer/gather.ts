// Waiting for a quorum of answers: resolves with the answers so far as soon as
// they are enough, or once every request has answered (each request carries
// its own timeout, so this wait is bounded too).

export function gather<T>(requests: readonly Promise<T>[], enough: (answers: readonly T[]) => boolean): Promise<T[]> {
  return new Promise((resolve) => {
    const answers: T[] = [];
    let settled = false;
    if (requests.length === 0) resolve(answers);
    for (const request of requests) {
      void request.then((answer) => {
        if (settled) return;
        answers.push(answer);
        if (enough(answers) || answers.length === requests.length) {
          settled = true;
          resolve(answers.slice());
        }
      });
    }
  });
}
