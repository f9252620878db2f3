import { Link } from 'react-router';
import { Empty } from '../components/ui/states';

export function NotFoundPage() {
  return (
    <Empty title="No such page">
      <Link className="text-accent underline" to="/">
        Go to the overview
      </Link>
    </Empty>
  );
}
