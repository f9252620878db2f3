/** Keys & settings: API keys (create, shown once; revoke; rotate), and MCP Orch's own settings from `orch`. */
import { PageHeader } from '../../components/layout/app-shell';
import { KeysSection } from './keys-section';
import { SettingsSection } from './settings-section';

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Keys & settings" description="Who may use MCP Orch, and how it runs." />
      <KeysSection />
      <SettingsSection />
    </>
  );
}
