"""E-mail of one-time links, sent by Django's tasks framework.

With the default immediate backend the task runs inline; where a database-backed worker is
configured (settings.TASKS), the login page does not wait for the mail server.
"""

from django.core.mail import send_mail
from django.tasks import task

SUBJECT = "Cổng Tổ CNSCĐ: đặt mật khẩu cho tài khoản {username}"
BODY = """Chào {name},

Tài khoản của bạn trên Cổng Tổ công nghệ số cộng đồng: {username}

Mở liên kết dưới đây để tự đặt mật khẩu (chỉ dùng được một lần, hết hạn lúc {expires}):
{url}

Nếu bạn không chờ thư này, hãy bỏ qua và báo cho cán bộ quản lý tài khoản.
"""


@task
def send_one_time_link(email, name, username, url, expires):
    send_mail(
        SUBJECT.format(username=username),
        BODY.format(name=name, username=username, url=url, expires=expires),
        None,
        [email],
    )
