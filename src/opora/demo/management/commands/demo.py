"""`opora demo`: migrate, generate the demo region if the database has none, print logins, serve."""

import os
from typing import IO, Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opora.accounts.models import Membership, User
from opora.config.env import env_date
from opora.demo.generator import LAST_YEAR, STEPS, generate_demo
from opora.demo.programs import demo_today
from opora.demo.users import DEMO_PASSWORD, DEMO_USERS
from opora.territory.models import Region, School


def database_location() -> str:
    """Where the database is, in words, without a password."""
    db = settings.DATABASES["default"]
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite, файл {db['NAME']}"
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}".rstrip(":")
    return f"{engine}, база {db['NAME']} на {host}"


def use_demo_today() -> str:
    """Count deadlines from the demo data's «today» unless OPORA_TODAY is already set: in the
    environment (inherited by a runserver child) and in this process's settings. Returns the line
    to print."""
    own = env_date("OPORA_TODAY")
    if own is not None:
        settings.OPORA_TODAY = own
        return f"Дата для расчёта сроков: {own:%d.%m.%Y} (OPORA_TODAY задана вами)"
    today = demo_today((LAST_YEAR,))
    os.environ["OPORA_TODAY"] = today.isoformat()
    settings.OPORA_TODAY = today
    return f"Дата демо-данных: {today:%d.%m.%Y} (OPORA_TODAY); сроки и просрочки считаются от неё."


def login_table() -> Table:
    """The demo logins with their roles and territories, in Russian."""
    table = Table(title=f"Демо-пользователи (пароль у всех: {DEMO_PASSWORD})")
    table.add_column("логин", style="bold")
    table.add_column("роль")
    table.add_column("территория")
    users = {
        u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])
    }
    memberships = Membership.objects.filter(user__in=users.values()).select_related(
        "region", "municipality", "school"
    )
    for spec in DEMO_USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        own = [m for m in memberships if m.user_id == user.pk]
        if not own:
            table.add_row(user.username, "суперпользователь (админка /admin/)", "всё")
            continue
        scope = "; ".join(str(m.territory) for m in own)
        table.add_row(user.username, own[0].get_role_display(), scope)
    return table


class Command(BaseCommand):
    help = "Создаёт демо-регион (если база пуста), печатает демо-логины и запускает сервер."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="зерно генератора (по умолчанию 1)")
        parser.add_argument(
            "--port", type=int, default=8000, help="порт сервера (по умолчанию 8000)"
        )
        parser.add_argument("--no-serve", action="store_true", help="не запускать сервер")
        parser.add_argument(
            "--reset", action="store_true", help="очистить базу и создать демо-регион заново"
        )
        parser.add_argument(
            "--schools", type=int, default=400, help="число школ (по умолчанию 400)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        console.print(f"База данных: {database_location()}")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            console.print("Очистка базы (--reset)…")
            call_command("flush", interactive=False, verbosity=0)
        if Region.objects.exists():
            console.print(
                "В базе уже есть регион — генерация пропущена "
                "(запустите с --reset, чтобы создать демо-регион заново)."
            )
        else:
            self._generate(console, options["seed"], options["schools"])
        console.print(login_table())
        if options["no_serve"]:
            return
        console.print(use_demo_today())
        port = options["port"]
        console.print(f"Опора работает на http://127.0.0.1:{port}/ (Ctrl+C — остановить)")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _generate(self, console: Console, seed: int, schools: int) -> None:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task(f"Демо-регион (seed={seed})", total=len(STEPS))

            def advance(label: str, done: int, total: int) -> None:
                bar.update(task, completed=done, description=f"Готово: {label}")

            ctx = generate_demo(seed, schools=schools, progress=advance, results=True)
        console.print(
            f"Создан демо-регион «{ctx.region}»: муниципалитетов — {len(ctx.municipalities)}, "
            f"школ — {School.objects.count()}, годовых срезов — {len(ctx.snapshots)}."
        )
