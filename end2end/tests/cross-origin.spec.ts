import { expect, test } from '@playwright/test';
import { authHeaders, createDashboard, lockedOrigin, port, signIn } from './helpers';

test.use({ bypassCSP: true });

test('a page on another port of this host cannot delete a dashboard, even with the session cookie', async ({ page }) => {
  const id = await createDashboard(page, { title: 'Keep me', panels: [{ title: 'demo.power', series: ['demo.power'] }] });
  // Signed in here: the cookie is SameSite=Strict, and another port of
  // the same host is the same site, so the browser sends it along.
  await signIn(page, '/');

  // Any page of another app on this host: here the second server's, its
  // own content security policy bypassed, as an attacker's page has none.
  await page.goto(`${lockedOrigin}/sign-in`);
  const statuses = await page.evaluate(
    async ({ target, id }) => {
      const form = { method: 'POST', mode: 'no-cors' as RequestMode, credentials: 'include' as RequestCredentials };
      await fetch(`${target}/rpc/delete_dashboard`, { ...form, body: new URLSearchParams({ id: String(id) }) });
      await fetch(`${target}/rpc/save_dashboard`, {
        ...form,
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ id, draft: { title: 'Taken over', panels: [] } }),
      });
      return 'sent';
    },
    { target: `http://127.0.0.1:${port}`, id },
  );
  expect(statuses).toBe('sent');

  const res = await page.request.get(`http://127.0.0.1:${port}/api/v1/dashboards/${id}`, { headers: authHeaders() });
  expect(res.status()).toBe(200);
  expect((await res.json()).title).toBe('Keep me');
});
